import Foundation
import ReassureCore

/// The worker's knobs, from `REASSURE_*` environment variables, validated at start.
public struct WorkerConfiguration: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable, Hashable {
        case scheduler, clock, dispatcher, outcomes
    }

    public var roles: Set<Role> = Set(Role.allCases)
    /// Names this process in leases and logs (`REASSURE_WORKER_ID`; default host and pid).
    public var workerID: String = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    /// Contacts the clock claims at once (`REASSURE_CLAIM_BATCH`).
    public var claimBatch = 500
    /// At most this many of a claim from one unit, so one unit's backlog cannot starve another's.
    public var claimPerUnit = 100
    /// At most this many contacts wait in the dispatch queue (`REASSURE_MAX_QUEUED`): a backlog
    /// stays in the store, where each claim takes fairly from every unit.
    public var maxQueued = 1000
    /// How long a claimed or queued contact belongs to this worker (`REASSURE_LEASE_SECONDS`).
    public var lease: TimeInterval = 300
    /// How often the clock looks for due contacts when it found none (`REASSURE_CLOCK_POLL_MS`).
    public var clockPoll: Duration = .milliseconds(250)
    /// Unacknowledged deliveries per consumer (`REASSURE_PREFETCH`).
    public var prefetch: UInt16 = 200
    /// Largest batch a consumer processes in one store transaction.
    public var batchSize = 200
    /// Batches of due contacts the dispatcher works on at once (`REASSURE_DISPATCH_CONCURRENCY`):
    /// while one waits for the store or the gateway, the next is checked and rendered.
    public var dispatchConcurrency = 3
    /// Transient gateway failures before a contact fails and goes to a person (`REASSURE_MAX_SEND_RETRIES`).
    public var maxSendRetries = 5
    /// A contact `sending` this long without change was left by a crash: re-send it with the same
    /// key (`REASSURE_SENDING_TIMEOUT_SECONDS`). Longer than the slowest retry tier.
    public var sendingTimeout: TimeInterval = 900
    /// A contact `sent` this long without a receipt: ask the provider (`REASSURE_RECEIPT_TIMEOUT_SECONDS`).
    public var receiptTimeout: TimeInterval = 600
    /// How often the sweeper runs (`REASSURE_SWEEP_SECONDS`).
    public var sweepInterval: Duration = .seconds(5)

    public init() {}

    public static func fromEnvironment(_ environment: [String: String]) throws -> WorkerConfiguration {
        var configuration = WorkerConfiguration()
        func integer(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = environment[key], !text.isEmpty else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw ConfigurationError("\(key) must be a whole number in \(range.lowerBound)…\(range.upperBound), not '\(text)'")
            }
            return value
        }
        if let id = environment["REASSURE_WORKER_ID"], !id.isEmpty { configuration.workerID = id }
        if let value = try integer("REASSURE_CLAIM_BATCH", 1...10_000) { configuration.claimBatch = value }
        if let value = try integer("REASSURE_MAX_QUEUED", 1...1_000_000) { configuration.maxQueued = value }
        if let value = try integer("REASSURE_LEASE_SECONDS", 5...86_400) { configuration.lease = TimeInterval(value) }
        if let value = try integer("REASSURE_CLOCK_POLL_MS", 10...60_000) { configuration.clockPoll = .milliseconds(value) }
        if let value = try integer("REASSURE_PREFETCH", 1...10_000) { configuration.prefetch = UInt16(value) }
        if let value = try integer("REASSURE_DISPATCH_CONCURRENCY", 1...16) { configuration.dispatchConcurrency = value }
        if let value = try integer("REASSURE_MAX_SEND_RETRIES", 0...50) { configuration.maxSendRetries = value }
        if let value = try integer("REASSURE_SENDING_TIMEOUT_SECONDS", 1...86_400) { configuration.sendingTimeout = TimeInterval(value) }
        if let value = try integer("REASSURE_RECEIPT_TIMEOUT_SECONDS", 1...86_400 * 7) { configuration.receiptTimeout = TimeInterval(value) }
        if let value = try integer("REASSURE_SWEEP_SECONDS", 1...3600) { configuration.sweepInterval = .seconds(value) }
        configuration.claimPerUnit = max(1, configuration.claimBatch / 5)
        return configuration
    }

    /// Parses `--roles scheduler,clock` (any order, no repeats).
    public static func roles(from text: String) throws -> Set<Role> {
        var roles: Set<Role> = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let role = Role(rawValue: name) else {
                throw ConfigurationError("unknown role '\(name)'; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            roles.insert(role)
        }
        guard !roles.isEmpty else { throw ConfigurationError("--roles names no role") }
        return roles
    }
}
