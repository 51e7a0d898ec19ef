import Foundation
import ReassureCore

/// Where a gateway hands delivery receipts: the worker publishes them to `reassure.outcomes`,
/// the same path a real provider's webhook takes.
public typealias ReceiptSink = @Sendable (GatewayReceipt) async -> Void

/// An SMS or email provider imitated in process: the default of the demo and the tests. It
/// behaves like a real one where Reassure's guarantees depend on it — the same idempotency key
/// twice is one message (across processes, through the shared `SentLog`), receipts arrive later
/// and asynchronously — and fails on demand, deterministically.
public actor StubGateway: Gateway {
    public nonisolated let name: String
    public nonisolated let channel: Channel
    private var configuration: StubConfiguration
    private let log: SentLog
    private let receipts: ReceiptSink?
    private var tries: [String: Int] = [:]
    private var counters = Stats()
    private var sequence = 0

    /// What the stub did, for tests and operators.
    public struct Stats: Sendable, Equatable {
        public var accepted = 0
        public var duplicates = 0
        public var transientFailures = 0
        public var permanentFailures = 0
        public var rateLimited = 0
    }

    public init(channel: Channel, configuration: StubConfiguration, log: SentLog, receipts: ReceiptSink?) {
        self.name = configuration.name
        self.channel = channel
        self.configuration = configuration
        self.log = log
        self.receipts = receipts
    }

    public var stats: Stats { counters }

    /// Changes failure rates while running (an outage is `transient: 1`; recovery is 0).
    public func setFailureRates(transient: Double, permanent: Double = 0, rateLimited: Double = 0) {
        configuration.transientRate = transient
        configuration.permanentRate = permanent
        configuration.rateLimitedRate = rateLimited
    }

    public nonisolated func send(_ message: GatewayMessage) async -> SendResult {
        let decision = await decide(message)
        let latency = await configuration.latency
        if latency > .zero { try? await Task.sleep(for: latency) }
        switch decision {
        case .transient:
            return .transientFailure(provider: name, reason: "stub: injected transient failure")
        case .permanent(let reason):
            return .permanentFailure(provider: name, reason: reason)
        case .rateLimited(let retryAfter):
            return .rateLimited(provider: name, retryAfter: retryAfter)
        case .accept:
            return await accept(message)
        }
    }

    public nonisolated func lookup(idempotencyKey: String) async -> GatewayReceipt? {
        guard let id = try? await log.providerMessageID(for: idempotencyKey) else { return nil }
        return GatewayReceipt(idempotencyKey: idempotencyKey, provider: name, providerMessageID: id, status: .delivered, at: Date())
    }

    private enum Decision { case accept, transient, permanent(PermanentFailure), rateLimited(Duration) }

    private func decide(_ message: GatewayMessage) -> Decision {
        guard Self.isValid(message.to, for: message.channel) else {
            counters.permanentFailures += 1
            return .permanent(.invalidAddress)
        }
        let attempt = tries[message.idempotencyKey, default: 0]
        tries[message.idempotencyKey] = attempt + 1
        let draw = Self.uniform(seed: configuration.seed, key: message.idempotencyKey, attempt: attempt)
        if draw < configuration.permanentRate {
            counters.permanentFailures += 1
            return .permanent(.blocked)
        }
        if draw < configuration.permanentRate + configuration.transientRate {
            counters.transientFailures += 1
            return .transient
        }
        if draw < configuration.permanentRate + configuration.transientRate + configuration.rateLimitedRate {
            counters.rateLimited += 1
            return .rateLimited(configuration.retryAfter)
        }
        return .accept
    }

    private func accept(_ message: GatewayMessage) async -> SendResult {
        sequence += 1
        let entry = SentLog.Entry(
            idempotencyKey: message.idempotencyKey, providerMessageID: "\(name)-\(UUID().uuidString.prefix(8).lowercased())-\(sequence)",
            provider: name, channel: message.channel.rawValue,
            to: configuration.revealAddresses ? message.to : AddressMask.mask(message.to), sender: message.sender, language: message.language,
            segments: message.channel == .sms ? message.segments : nil, subject: message.subject, body: message.body, at: Date())
        let recorded: (providerMessageID: String, duplicate: Bool)
        do {
            recorded = try await log.record(entry)
        } catch {
            counters.transientFailures += 1
            return .transientFailure(provider: name, reason: "stub: \(error)")
        }
        if recorded.duplicate {
            counters.duplicates += 1
        } else {
            counters.accepted += 1
            if let receipts {
                let receipt = GatewayReceipt(idempotencyKey: message.idempotencyKey, provider: name, providerMessageID: recorded.providerMessageID,
                                             status: .delivered, at: Date())
                let delay = configuration.receiptDelay
                if delay > .zero {
                    Task {
                        try? await Task.sleep(for: delay)
                        await receipts(GatewayReceipt(idempotencyKey: receipt.idempotencyKey, provider: receipt.provider,
                                                      providerMessageID: receipt.providerMessageID, status: .delivered, at: Date()))
                    }
                } else {
                    // At once (benchmarks): no task per message, the sink only queues it.
                    await receipts(receipt)
                }
            }
        }
        return .accepted(provider: name, providerMessageID: recorded.providerMessageID)
    }

    /// E.164 for SMS, something@domain for email: what any provider refuses outright.
    static func isValid(_ address: String, for channel: Channel) -> Bool {
        switch channel {
        case .sms:
            address.hasPrefix("+") && (8...16).contains(address.count) && address.dropFirst().allSatisfy(\.isNumber)
        case .email:
            address.split(separator: "@").count == 2 && address.split(separator: "@")[1].contains(".")
        }
    }

    /// A number in [0, 1) from the seed, key and try number (SplitMix64 over FNV-1a).
    static func uniform(seed: UInt64, key: String, attempt: Int) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var z = hash &+ UInt64(attempt) &* 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
