import Logging
import Metrics
import ReassureCore
import Synchronization

/// Several providers of one channel behind one `Gateway`: traffic split by weight, a failing or
/// slow provider's share dropped to a probe and grown back as it recovers (see `ProviderHealth`),
/// and a transient failure retried once, in the same call, at another provider with the same
/// idempotency key — so an outage at one provider costs the dispatcher nothing.
///
/// Metrics (swift-metrics, per provider): `reassure_gateway_sends_total{provider,channel,result}`
/// (result: accepted, transient_failure, permanent_failure, rate_limited),
/// `reassure_gateway_share{provider,channel}` (0…1) and
/// `reassure_gateway_latency_seconds{provider,channel}` (a timer).
public final class FailoverGateway: Gateway {
    public let name: String
    public let channel: Channel
    private let gateways: [any Gateway]
    private let state: Mutex<Inner>
    private let metrics: [ProviderMetrics]
    private let logger: Logger

    private struct Inner {
        var pool: ProviderPool
        var random: SplitMix64
    }

    /// - Parameters:
    ///   - providers: the gateways of `channel` with their weights (> 0); names must differ.
    ///   - seed: fixes the sequence of choices (tests); nil draws a random seed.
    public init(channel: Channel, providers: [(gateway: any Gateway, weight: Double)],
                policy: ProviderHealthPolicy = ProviderHealthPolicy(), seed: UInt64? = nil,
                logger: Logger = Logger(label: "reassure.gateways.failover")) {
        precondition(!providers.isEmpty, "FailoverGateway needs at least one provider")
        self.channel = channel
        self.gateways = providers.map(\.gateway)
        self.name = providers.map(\.gateway.name).joined(separator: "+")
        let pool = ProviderPool(providers.map { ($0.gateway.name, $0.weight) }, policy: policy)
        self.state = Mutex(Inner(pool: pool, random: SplitMix64(seed: seed ?? UInt64.random(in: .min ... .max))))
        self.metrics = providers.map { ProviderMetrics(provider: $0.gateway.name, channel: channel) }
        self.logger = logger
        for (index, share) in pool.shares.enumerated() { metrics[index].share.record(share) }
    }

    /// Each provider's share of traffic now, by name.
    public var shares: [String: Double] {
        state.withLock { inner in
            Dictionary(uniqueKeysWithValues: zip(inner.pool.members.map(\.name), inner.pool.shares))
        }
    }

    /// Each provider's health now, by name (for status pages and tests).
    public var health: [String: ProviderHealth] {
        state.withLock { inner in Dictionary(uniqueKeysWithValues: inner.pool.members.map { ($0.name, $0.health) }) }
    }

    public func send(_ message: GatewayMessage) async -> SendResult {
        var tried: Set<Int> = []
        var lastFailure: SendResult?
        while tried.count < min(2, gateways.count) {
            let index = state.withLock { inner in
                inner.pool.choose(random: Double(inner.random.next() >> 11) / Double(1 << 53), excluding: tried)
            }
            guard let index else { break }
            tried.insert(index)
            let started = ContinuousClock.now
            let result = await gateways[index].send(message)
            record(result, latency: ContinuousClock.now - started, at: index)
            guard case .transientFailure = result else { return result }
            lastFailure = result
        }
        return lastFailure ?? .transientFailure(provider: name, reason: "no provider configured")
    }

    private func record(_ result: SendResult, latency: Duration, at index: Int) {
        let observation: ProviderHealth.Observation?
        switch result {
        case .accepted, .permanentFailure: observation = .answered(latency: latency)
        case .transientFailure: observation = .failed(latency: latency)
        // A per-recipient limit says nothing about the provider's health.
        case .rateLimited: observation = nil
        }
        let (change, shares) = state.withLock { inner in
            let change = observation.flatMap { inner.pool.record($0, for: index) }
            return (change, inner.pool.shares)
        }
        metrics[index].count(result)
        metrics[index].latency.recordNanoseconds(latency.components.seconds * 1_000_000_000 + latency.components.attoseconds / 1_000_000_000)
        for (member, share) in shares.enumerated() { metrics[member].share.record(share) }
        if let change {
            logger.notice("provider health changed", metadata: [
                "provider": "\(gateways[index].name)", "channel": "\(channel.rawValue)", "state": "\(change.rawValue)",
                "share": "\((shares[index] * 1000).rounded() / 1000)",
            ])
        }
    }
}

/// The metric handles of one provider, made once.
private struct ProviderMetrics: Sendable {
    let accepted, transient, permanent, rateLimited: Counter
    let share: Gauge
    let latency: Metrics.Timer

    init(provider: String, channel: Channel) {
        let dimensions = [("provider", provider), ("channel", channel.rawValue)]
        func sends(_ result: String) -> Counter {
            Counter(label: "reassure_gateway_sends_total", dimensions: dimensions + [("result", result)])
        }
        accepted = sends("accepted")
        transient = sends("transient_failure")
        permanent = sends("permanent_failure")
        rateLimited = sends("rate_limited")
        share = Gauge(label: "reassure_gateway_share", dimensions: dimensions)
        latency = Metrics.Timer(label: "reassure_gateway_latency_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
    }

    func count(_ result: SendResult) {
        switch result {
        case .accepted: accepted.increment()
        case .transientFailure: transient.increment()
        case .permanentFailure: permanent.increment()
        case .rateLimited: rateLimited.increment()
        }
    }
}

/// A small seedable generator (SplitMix64), so a test can replay the same choices.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
