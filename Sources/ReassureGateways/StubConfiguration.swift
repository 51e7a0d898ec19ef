import Foundation
import ReassureCore

/// How the in-process stub gateway behaves. Failures are drawn deterministically from `seed`, the
/// idempotency key and the try number, so a test run can be repeated exactly.
public struct StubConfiguration: Sendable, Equatable {
    public var name: String
    /// Probability that a try fails transiently (like a provider timeout or 503).
    public var transientRate: Double
    /// Probability that a message is refused for good (`blocked`).
    public var permanentRate: Double
    /// Probability that a try is refused with "slow down" (retry after `retryAfter`).
    public var rateLimitedRate: Double = 0
    public var retryAfter: Duration = .seconds(1)
    /// Added to every send.
    public var latency: Duration
    /// When the delivery receipt follows an accepted send.
    public var receiptDelay: Duration
    public var seed: UInt64
    /// Where accepted messages are appended, one JSON line each; nil keeps them in memory only.
    public var sentLogPath: String?
    /// Tests may see whole addresses in the sent-log; everything else sees them masked.
    public var revealAddresses: Bool

    public init(name: String = "stub", transientRate: Double = 0, permanentRate: Double = 0, latency: Duration = .zero,
                receiptDelay: Duration = .milliseconds(200), rateLimitedRate: Double = 0, seed: UInt64 = 1, sentLogPath: String? = nil,
                revealAddresses: Bool = false) {
        self.rateLimitedRate = rateLimitedRate
        self.name = name
        self.transientRate = transientRate
        self.permanentRate = permanentRate
        self.latency = latency
        self.receiptDelay = receiptDelay
        self.seed = seed
        self.sentLogPath = sentLogPath
        self.revealAddresses = revealAddresses
    }

    /// `REASSURE_STUB_SENT_LOG`, `REASSURE_STUB_SEED`, `REASSURE_STUB_TRANSIENT_RATE`,
    /// `REASSURE_STUB_PERMANENT_RATE`, `REASSURE_STUB_RATE_LIMITED_RATE`, `REASSURE_STUB_LATENCY_MS`, `REASSURE_STUB_RECEIPT_DELAY_MS`,
    /// `REASSURE_STUB_REVEAL_ADDRESSES` (1 = whole addresses in the sent-log; tests only).
    public static func fromEnvironment(_ environment: [String: String], name: String) throws -> StubConfiguration {
        func number(_ key: String, default value: Double, range: ClosedRange<Double>) throws -> Double {
            guard let text = environment[key], !text.isEmpty else { return value }
            guard let parsed = Double(text), range.contains(parsed) else {
                throw ConfigurationError("\(key) must be a number in \(range.lowerBound)…\(range.upperBound), not '\(text)'")
            }
            return parsed
        }
        return StubConfiguration(
            name: name,
            transientRate: try number("REASSURE_STUB_TRANSIENT_RATE", default: 0, range: 0...1),
            permanentRate: try number("REASSURE_STUB_PERMANENT_RATE", default: 0, range: 0...1),
            latency: .milliseconds(Int(try number("REASSURE_STUB_LATENCY_MS", default: 0, range: 0...60_000))),
            receiptDelay: .milliseconds(Int(try number("REASSURE_STUB_RECEIPT_DELAY_MS", default: 200, range: 0...3_600_000))),
            rateLimitedRate: try number("REASSURE_STUB_RATE_LIMITED_RATE", default: 0, range: 0...1),
            seed: UInt64(try number("REASSURE_STUB_SEED", default: 1, range: 0...Double(UInt32.max))),
            sentLogPath: environment["REASSURE_STUB_SENT_LOG"].flatMap { $0.isEmpty ? nil : $0 },
            revealAddresses: environment["REASSURE_STUB_REVEAL_ADDRESSES"] == "1")
    }
}
