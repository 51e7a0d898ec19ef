/// When a provider counts as unhealthy and how it earns its share back. Defaults suit a few
/// messages a second; all counts are in sends, not seconds, so the machine needs no clock and a
/// quiet provider is judged on what it did, not on how long ago.
public struct ProviderHealthPolicy: Sendable, Equatable {
    /// Weight of the newest send in the decayed error rate and latency average (0…1): 0.1
    /// means roughly the last 10–20 sends count.
    public var smoothing: Double
    /// A healthy provider is demoted when its decayed error rate exceeds this…
    public var errorRateThreshold: Double
    /// …or its average latency exceeds this…
    public var latencyThreshold: Duration
    /// …once it has at least this many sends in its current window (so one early timeout is not an outage).
    public var minimumSamples: Int
    /// A demoted provider keeps this fraction of its configured weight, so it still gets probes.
    public var floor: Double
    /// Consecutive good probes a demoted provider needs before its share starts to grow again.
    public var probesToRecover: Int
    /// Each good send while recovering multiplies the share by this (floor 0.05 × 1.5⁸ ≈ 1).
    public var recoveryFactor: Double

    public init(smoothing: Double = 0.1, errorRateThreshold: Double = 0.5, latencyThreshold: Duration = .seconds(2),
                minimumSamples: Int = 5, floor: Double = 0.05, probesToRecover: Int = 3, recoveryFactor: Double = 1.5) {
        self.smoothing = smoothing
        self.errorRateThreshold = errorRateThreshold
        self.latencyThreshold = latencyThreshold
        self.minimumSamples = minimumSamples
        self.floor = floor
        self.probesToRecover = probesToRecover
        self.recoveryFactor = recoveryFactor
    }
}

/// One provider's health as a pure state machine: feed it the outcome of each send, read back
/// the multiplier for its configured weight. No I/O, no clock; `FailoverGateway` owns one per
/// provider.
///
/// States: `healthy` (full share) → `demoted` (share at `floor`) when the error rate or latency
/// crosses its threshold → `recovering` after `probesToRecover` good probes in a row, the share
/// growing by `recoveryFactor` per good send → `healthy` at full share. A transient failure while
/// demoted or recovering sends it back to the floor. The gap between "one failure demotes a
/// recovering provider" and "several good probes promote a demoted one" is the hysteresis that
/// keeps it from flapping; a fresh measurement window after recovery keeps old failures from
/// demoting it again at once.
public struct ProviderHealth: Sendable, Equatable {
    public enum State: String, Sendable, Equatable { case healthy, demoted, recovering }

    /// What one send tells about the provider.
    public enum Observation: Sendable, Equatable {
        /// The provider answered (accepted, or refused the message for a reason of the message's own).
        case answered(latency: Duration)
        /// Transient failure: 5xx, timeout, connection refused.
        case failed(latency: Duration)
    }

    public private(set) var state: State = .healthy
    /// Fraction of the configured weight this provider gets now, in `policy.floor…1`.
    public private(set) var multiplier: Double = 1
    /// Decayed share of transient failures in the current window.
    public private(set) var errorRate: Double = 0
    /// Decayed average latency in seconds in the current window.
    public private(set) var latencySeconds: Double = 0
    /// Sends in the current window (restarts when the provider is promoted back to healthy).
    public private(set) var samples: Int = 0
    private var goodProbes = 0
    public let policy: ProviderHealthPolicy

    public init(policy: ProviderHealthPolicy = ProviderHealthPolicy()) {
        self.policy = policy
    }

    /// Takes one outcome and returns the new state when it changed.
    @discardableResult
    public mutating func record(_ observation: Observation) -> State? {
        let failed: Bool
        let latency: Duration
        switch observation {
        case .answered(let l): (failed, latency) = (false, l)
        case .failed(let l): (failed, latency) = (true, l)
        }
        let seconds = inSeconds(latency)
        let limit = inSeconds(policy.latencyThreshold)
        // A plain mean over the first sends, decaying after: one early failure does not weigh as ten.
        let alpha = max(policy.smoothing, 1 / Double(samples + 1))
        errorRate += alpha * ((failed ? 1 : 0) - errorRate)
        latencySeconds += alpha * (seconds - latencySeconds)
        samples += 1
        let slow = seconds > limit

        let before = state
        switch state {
        case .healthy:
            if samples >= policy.minimumSamples
                && (errorRate > policy.errorRateThreshold || latencySeconds > limit) {
                demote()
            }
        case .demoted:
            if failed || slow {
                goodProbes = 0
            } else {
                goodProbes += 1
                if goodProbes >= policy.probesToRecover {
                    state = .recovering
                    multiplier = min(1, multiplier * policy.recoveryFactor)
                }
            }
        case .recovering:
            if failed || slow {
                demote()
            } else {
                multiplier = min(1, multiplier * policy.recoveryFactor)
                if multiplier >= 1 {
                    state = .healthy
                    // A fresh window: the failures that demoted it are history.
                    samples = 0
                    errorRate = 0
                    latencySeconds = 0
                }
            }
        }
        return state == before ? nil : state
    }

    private mutating func demote() {
        state = .demoted
        multiplier = policy.floor
        goodProbes = 0
    }
}

func inSeconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
