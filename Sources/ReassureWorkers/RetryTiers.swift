import Foundation

/// Which retry tier a message goes to, and with what per-message expiry (quorum queues honour
/// both; the shorter wins).
enum RetryTiers {
    static let tiers: [(suffix: String, delay: Duration)] = [("10s", .seconds(10)), ("1m", .seconds(60)), ("10m", .seconds(600))]

    /// After a transient failure: backoff grows with each retry (10 s, 1 min, 10 min) and a random
    /// 0–20% is taken off, so retries after an outage do not all return at once.
    static func backoff(forRetry retry: Int) -> (suffix: String, expiration: Duration) {
        let tier = tiers[min(max(retry - 1, 0), tiers.count - 1)]
        return (tier.suffix, tier.delay * Double.random(in: 0.8...1.0))
    }

    /// After "slow down": wait what the provider asked (plus up to 20%), in the shortest tier that holds it.
    static func waiting(_ retryAfter: Duration) -> (suffix: String, expiration: Duration) {
        let wanted = max(retryAfter, .milliseconds(100)) * Double.random(in: 1.0...1.2)
        let tier = tiers.first { $0.delay >= wanted } ?? tiers[tiers.count - 1]
        return (tier.suffix, min(wanted, tier.delay))
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
