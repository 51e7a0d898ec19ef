import Foundation

/// Where "now" comes from. Production uses the wall clock; demos and benchmarks run a month's
/// contact plan in seconds with `ScaledClock` (`REASSURE_CLOCK_SCALE`).
public protocol ReassureClock: Sendable {
    /// The current instant on this clock's timeline.
    func now() -> Date
    /// How long to really wait until `instant` on this clock's timeline arrives.
    func realDelay(until instant: Date) -> Duration
}

public struct SystemClock: ReassureClock {
    public init() {}
    public func now() -> Date { Date() }
    public func realDelay(until instant: Date) -> Duration {
        .milliseconds(max(0, Int64(instant.timeIntervalSinceNow * 1000)))
    }
}

/// Time runs `scale` times faster than the wall clock from `origin` on: with 604800 a week of
/// the plan passes every real second. For demos and benchmarks only — never in production.
public struct ScaledClock: ReassureClock {
    public let scale: Double
    public let origin: Date
    private let realOrigin: Date

    public init(scale: Double, origin: Date = Date()) {
        precondition(scale > 0, "clock scale must be positive")
        self.scale = scale
        self.origin = origin
        realOrigin = Date()
    }

    public func now() -> Date {
        origin.addingTimeInterval(Date().timeIntervalSince(realOrigin) * scale)
    }

    public func realDelay(until instant: Date) -> Duration {
        .milliseconds(max(0, Int64(instant.timeIntervalSince(now()) / scale * 1000)))
    }
}

public enum ClockConfiguration {
    /// `REASSURE_CLOCK_SCALE`: unset, empty or 1 means the wall clock; a positive number speeds
    /// time up by that factor (604800 = a week per second). Throws on anything else.
    public static func clock(from environment: [String: String]) throws -> any ReassureClock {
        guard let text = environment["REASSURE_CLOCK_SCALE"], !text.isEmpty else { return SystemClock() }
        guard let scale = Double(text), scale.isFinite, scale > 0 else {
            throw ConfigurationError("REASSURE_CLOCK_SCALE must be a positive number (e.g. 604800 for a week per second), not '\(text)'")
        }
        return scale == 1 ? SystemClock() : ScaledClock(scale: scale)
    }
}

/// A configuration value that cannot be used; the message says which and how to fix it.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
