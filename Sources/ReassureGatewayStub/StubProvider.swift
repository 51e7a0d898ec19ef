import Foundation
import Logging
import ReassureGateways

/// The provider's memory and rules, without HTTP: idempotency, address checks, block and
/// opt-out lists, the per-recipient rate limit, injected failures, the sent-log and counts.
/// One actor, so two requests with the same idempotency key cannot both become a message.
actor StubProvider {
    /// What `/v1/messages` answers.
    enum Decision: Equatable {
        case accepted(id: String, duplicate: Bool)
        /// `status` with `{"error": code}`; `retryAfter` seconds for 429.
        case refused(status: Int, code: String, retryAfter: Int? = nil)
    }

    struct Stats: Codable, Equatable {
        var accepted = 0
        var duplicates = 0
        var transientFailures = 0
        var permanentFailures: [String: Int] = [:]
        var rateLimited = 0
        var unauthorized = 0
        var invalidRequests = 0
        var receiptsDelivered = 0
        var receiptsPending = 0
        var webhookRetries = 0
        var inboundForwarded = 0

        enum CodingKeys: String, CodingKey {
            case accepted, duplicates, transientFailures = "transient_failures", permanentFailures = "permanent_failures",
                 rateLimited = "rate_limited", unauthorized, invalidRequests = "invalid_requests",
                 receiptsDelivered = "receipts_delivered", receiptsPending = "receipts_pending",
                 webhookRetries = "webhook_retries", inboundForwarded = "inbound_forwarded"
        }
    }

    let configuration: GatewayStubConfiguration
    private(set) var faults: StubFaults
    private var messageIDs: [String: String] = [:]
    private var attempts: [String: Int] = [:]
    private var limiter = RecipientRateLimiter()
    private var stats = Stats()
    private var sequence = 0
    private let log: MessageLogFile?
    private let outbox: WebhookOutbox
    private let logger: Logger

    init(configuration: GatewayStubConfiguration, outbox: WebhookOutbox, logger: Logger) throws {
        self.configuration = configuration
        self.faults = configuration.faults
        self.log = try configuration.sentLogPath.map { try MessageLogFile(path: $0) }
        self.outbox = outbox
        self.logger = logger
    }

    func change(_ change: StubFaultsChange) -> Result<StubFaults, StubRefusal> {
        let proposed = change.applied(to: faults)
        if let problem = proposed.problem { return .failure(StubRefusal(problem)) }
        faults = proposed
        logger.notice("faults changed", metadata: [
            "transient_rate": "\(faults.transientRate)", "permanent_rate": "\(faults.permanentRate)",
            "latency_ms": "\(faults.latencyMS)", "rate_limit_per_minute": "\(faults.rateLimitPerMinute)",
        ])
        return .success(faults)
    }

    func countUnauthorized() { stats.unauthorized += 1 }
    func countInvalid() { stats.invalidRequests += 1 }

    func statistics() -> Stats {
        var result = stats
        let counts = outbox.snapshot
        result.receiptsDelivered = counts.delivered[.receipt, default: 0]
        result.inboundForwarded = counts.delivered[.inbound, default: 0]
        result.receiptsPending = counts.pending
        result.webhookRetries = counts.retries
        return result
    }

    func submit(_ request: ProviderAPI.MessageRequest, key: String, now: Date = Date()) -> Decision {
        if let id = messageIDs[key] {
            stats.duplicates += 1
            return .accepted(id: id, duplicate: true)
        }
        let attempt = attempts[key, default: 0]
        attempts[key] = attempt + 1
        let masked = AddressMask.mask(request.to)
        if let failure = Self.addressProblem(request) ?? listed(request.to) {
            return refuse(failure, masked: masked)
        }
        if let wait = limiter.admit(request.to, limitPerMinute: faults.rateLimitPerMinute, now: now) {
            stats.rateLimited += 1
            logger.info("rate limited", metadata: ["to": "\(masked)", "retry_after": "\(wait)"])
            return .refused(status: 429, code: "rate_limited", retryAfter: wait)
        }
        switch FaultDraw.draw(faults, seed: configuration.seed, key: key, attempt: attempt) {
        case .transient(let status):
            stats.transientFailures += 1
            logger.info("injected transient failure", metadata: ["status": "\(status)", "to": "\(masked)"])
            return .refused(status: status, code: "unavailable")
        case .permanent:
            return refuse(.rejected, masked: masked)
        case .none:
            break
        }
        sequence += 1
        let id = "\(configuration.name)-\(String(Int(now.timeIntervalSince1970 * 1000), radix: 36))-\(sequence)"
        if let log {
            let entry = MessageLogFile.Entry(
                idempotencyKey: key, providerMessageID: id, provider: configuration.name, channel: request.channel,
                to: configuration.revealAddresses ? request.to : masked, sender: request.from, language: request.language,
                segments: request.channel == "sms" ? (request.segments ?? 1) : nil, subject: request.subject,
                body: request.body, at: now)
            do {
                try log.append(entry)
            } catch {
                logger.error("sent-log not written; answering 503", metadata: ["error": "\(error)"])
                stats.transientFailures += 1
                return .refused(status: 503, code: "unavailable")
            }
        }
        messageIDs[key] = id
        stats.accepted += 1
        logger.info("accepted", metadata: ["id": "\(id)", "channel": "\(request.channel)", "to": "\(masked)"])
        scheduleReceipt(key: key, id: id, now: now)
        return .accepted(id: id, duplicate: false)
    }

    private func refuse(_ failure: PermanentFailure, masked: String) -> Decision {
        stats.permanentFailures[failure.rawValue, default: 0] += 1
        logger.info("refused", metadata: ["error": "\(failure.rawValue)", "to": "\(masked)"])
        return .refused(status: ProviderAPI.status(for: failure), code: failure.rawValue)
    }

    private func listed(_ address: String) -> PermanentFailure? {
        if configuration.blocked.contains(address) { return .blocked }
        if configuration.optedOut.contains(address) { return .optedOutAtProvider }
        return nil
    }

    /// SMS to E.164 (`+` and 8–15 digits), email to something with one `@` and a dot after it.
    static func addressProblem(_ request: ProviderAPI.MessageRequest) -> PermanentFailure? {
        switch request.channel {
        case "sms":
            let digits = request.to.dropFirst()
            let valid = request.to.hasPrefix("+") && (8...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
                && digits.first != "0"
            return valid ? nil : .invalidAddress
        case "email":
            let parts = request.to.split(separator: "@", omittingEmptySubsequences: false)
            let valid = parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !request.to.contains(" ")
            return valid ? nil : .invalidAddress
        default:
            return .rejected
        }
    }

    private func scheduleReceipt(key: String, id: String, now: Date) {
        guard let url = configuration.receiptsURL else { return }
        let delay = Duration.milliseconds(faults.receiptDelayMS)
        let receipt = GatewayReceipt(idempotencyKey: key, provider: configuration.name, providerMessageID: id, status: .delivered,
                                     at: now.addingTimeInterval(Double(faults.receiptDelayMS) / 1000))
        guard let body = try? WireCoding.encoder().encode(receipt) else { return }
        outbox.enqueue(.init(kind: .receipt, url: url, body: Array(body), due: .now + delay))
    }

    /// Forwards a simulated reply; nil when no inbound URL is configured.
    func simulateInbound(from: String, text: String, channel: String, now: Date = Date()) -> String? {
        guard let url = configuration.inboundURL else { return nil }
        sequence += 1
        let id = "\(configuration.name)-in-\(sequence)"
        let reply = InboundReply(provider: configuration.name, providerMessageID: id, channel: channel, from: from, text: text, receivedAt: now)
        guard let body = try? WireCoding.encoder().encode(reply) else { return nil }
        outbox.enqueue(.init(kind: .inbound, url: url, body: Array(body), due: .now))
        logger.info("simulated reply forwarded", metadata: ["id": "\(id)", "from": "\(AddressMask.mask(from))"])
        return id
    }
}

/// A request the stub cannot act on; the message is safe to show (no personal data).
struct StubRefusal: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
