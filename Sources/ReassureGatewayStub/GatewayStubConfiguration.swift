import Foundation
import ReassureCore

/// How `reassure gateway-stub` behaves: where it listens, who it is, how it fails, where it
/// reports. Defaults give a well-behaved provider on one machine; the failure knobs can also be
/// changed while it runs (`POST /control`).
public struct GatewayStubConfiguration: Sendable, Equatable {
    public var host: String
    /// 0 picks a free port (tests learn it from `onServerRunning`).
    public var port: Int
    /// The provider name in receipts, the sent-log and metrics, e.g. `stub-a`.
    public var name: String
    /// The bearer key clients must present.
    public var apiKey: String
    public var seed: UInt64
    public var faults: StubFaults
    /// Where delivery receipts go (the producer's `/v1/gateway/receipts`); nil sends none.
    public var receiptsURL: String?
    /// Where simulated replies go (the producer's `/v1/gateway/inbound`); nil refuses `/simulate/inbound`.
    public var inboundURL: String?
    /// Shared with the producer to sign webhooks (`WebhookSignature`).
    public var webhookSecret: String
    /// Accepted messages as JSON lines; nil keeps no log.
    public var sentLogPath: String?
    /// Whole addresses in the sent-log (tests only); otherwise masked.
    public var revealAddresses: Bool
    /// Recipients refused with 403 `blocked`.
    public var blocked: Set<String>
    /// Recipients refused with 409 `opted_out`.
    public var optedOut: Set<String>

    public init(host: String = "127.0.0.1", port: Int = 9090, name: String = "stub-a", apiKey: String = "stub-key",
                seed: UInt64 = 1, faults: StubFaults = StubFaults(), receiptsURL: String? = nil, inboundURL: String? = nil,
                webhookSecret: String = "dev-webhook-secret", sentLogPath: String? = nil, revealAddresses: Bool = false,
                blocked: Set<String> = [], optedOut: Set<String> = []) {
        self.host = host
        self.port = port
        self.name = name
        self.apiKey = apiKey
        self.seed = seed
        self.faults = faults
        self.receiptsURL = receiptsURL
        self.inboundURL = inboundURL
        self.webhookSecret = webhookSecret
        self.sentLogPath = sentLogPath
        self.revealAddresses = revealAddresses
        self.blocked = blocked
        self.optedOut = optedOut
    }

    /// Splits `host:port`; throws `ConfigurationError` for anything else.
    public static func parseAddress(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port),
              colon != text.startIndex else {
            throw ConfigurationError("address must be host:port (e.g. 127.0.0.1:9090), not '\(text)'")
        }
        return (String(text[..<colon]), port)
    }
}

/// The failures and slowness the stub injects; changeable at runtime.
public struct StubFaults: Sendable, Equatable, Codable {
    /// Probability (0…1) that a send answers 500 or 503.
    public var transientRate: Double
    /// Probability (0…1) that a send answers 400 `rejected`.
    public var permanentRate: Double
    /// Added before every `/v1/messages` answer, in milliseconds.
    public var latencyMS: Int
    /// Between acceptance and the delivery receipt, in milliseconds.
    public var receiptDelayMS: Int
    /// Sends per recipient per minute before 429; 0 means no limit.
    public var rateLimitPerMinute: Int

    public init(transientRate: Double = 0, permanentRate: Double = 0, latencyMS: Int = 0, receiptDelayMS: Int = 200,
                rateLimitPerMinute: Int = 0) {
        self.transientRate = transientRate
        self.permanentRate = permanentRate
        self.latencyMS = latencyMS
        self.receiptDelayMS = receiptDelayMS
        self.rateLimitPerMinute = rateLimitPerMinute
    }

    enum CodingKeys: String, CodingKey {
        case transientRate = "transient_rate", permanentRate = "permanent_rate", latencyMS = "latency_ms",
             receiptDelayMS = "receipt_delay_ms", rateLimitPerMinute = "rate_limit_per_minute"
    }

    /// A sentence naming the first value out of range, or nil when all are usable.
    public var problem: String? {
        if !(0...1).contains(transientRate) { return "transient_rate must be in 0…1" }
        if !(0...1).contains(permanentRate) { return "permanent_rate must be in 0…1" }
        if transientRate + permanentRate > 1 { return "transient_rate + permanent_rate must not exceed 1" }
        if !(0...600_000).contains(latencyMS) { return "latency_ms must be in 0…600000" }
        if !(0...86_400_000).contains(receiptDelayMS) { return "receipt_delay_ms must be in 0…86400000" }
        if rateLimitPerMinute < 0 { return "rate_limit_per_minute must be 0 (no limit) or more" }
        return nil
    }
}

/// A `POST /control` body: only the fields present change.
struct StubFaultsChange: Decodable {
    var transientRate: Double?
    var permanentRate: Double?
    var latencyMS: Int?
    var receiptDelayMS: Int?
    var rateLimitPerMinute: Int?

    enum CodingKeys: String, CodingKey {
        case transientRate = "transient_rate", permanentRate = "permanent_rate", latencyMS = "latency_ms",
             receiptDelayMS = "receipt_delay_ms", rateLimitPerMinute = "rate_limit_per_minute"
    }

    func applied(to faults: StubFaults) -> StubFaults {
        var result = faults
        if let transientRate { result.transientRate = transientRate }
        if let permanentRate { result.permanentRate = permanentRate }
        if let latencyMS { result.latencyMS = latencyMS }
        if let receiptDelayMS { result.receiptDelayMS = receiptDelayMS }
        if let rateLimitPerMinute { result.rateLimitPerMinute = rateLimitPerMinute }
        return result
    }
}
