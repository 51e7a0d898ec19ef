import Foundation

/// How long to wait before the next reconnect attempt: exponential growth with full jitter,
/// so many workers that lost the same broker do not all come back in the same instant.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10), multiplier: Double = 2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The upper bound for attempt `attempt` (0-based): `initial * multiplier^attempt`, capped at `maximum`.
    public func ceiling(forAttempt attempt: Int) -> Duration {
        let initialSeconds = Self.seconds(initial)
        let capped = min(Self.seconds(maximum), initialSeconds * pow(multiplier, Double(min(attempt, 62))))
        return .nanoseconds(Int64(capped * 1e9))
    }

    /// A delay drawn uniformly from half the ceiling up to the ceiling ("equal jitter"):
    /// never zero, so a flapping broker is not hammered.
    public func delay<R: RandomNumberGenerator>(forAttempt attempt: Int, using generator: inout R) -> Duration {
        let ceiling = Self.seconds(self.ceiling(forAttempt: attempt))
        let seconds = Double.random(in: (ceiling / 2)...ceiling, using: &generator)
        return .nanoseconds(Int64(seconds * 1e9))
    }

    public func delay(forAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(forAttempt: attempt, using: &generator)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
