/// What a message is for; each has its own template per language and channel.
public enum ContactStage: String, Sendable, Codable, CaseIterable, Hashable {
    case acknowledgement
    case checkIn = "check_in"
    case update
    case closing
    case optOutConfirmation = "opt_out_confirmation"
    case helpReply = "help_reply"
}

/// When a planned contact falls due, counted from the report.
public enum ScheduleOffset: Sendable, Equatable, Hashable {
    case hours(Int)
    case days(Int)
    case workingDays(Int)
    case months(Int)

    /// Parses `4h`, `14d`, `3wd`, `1m`.
    public init?(_ text: String) {
        let lowered = text.lowercased()
        for (suffix, make) in [("wd", Self.workingDays), ("h", Self.hours), ("d", Self.days), ("m", Self.months)] as [(String, (Int) -> Self)] {
            if lowered.hasSuffix(suffix), let value = Int(lowered.dropLast(suffix.count)), value >= 0, value <= 3660 {
                self = make(value)
                return
            }
        }
        return nil
    }

    public var label: String {
        switch self {
        case .hours(0): "on report"
        case .hours(let hours): "after \(hours) h"
        case .days(let days): "day \(days)"
        case .workingDays(1): "next working day"
        case .workingDays(let days): "working day \(days)"
        case .months(let months): "month \(months)"
        }
    }
}

/// One planned step of a schedule: `check_in@14d`.
public struct ScheduleStep: Sendable, Equatable, Hashable {
    public var stage: ContactStage
    public var offset: ScheduleOffset

    public init(_ stage: ContactStage, _ offset: ScheduleOffset) {
        self.stage = stage
        self.offset = offset
    }

    /// Parses `stage@offset`, e.g. `acknowledgement@0h`, `check_in@3wd`.
    public init?(_ text: String) {
        let parts = text.split(separator: "@").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let stage = ContactStage(rawValue: parts[0]), let offset = ScheduleOffset(parts[1]) else { return nil }
        self.init(stage, offset)
    }
}

import Foundation
