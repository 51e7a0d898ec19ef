import ArgumentParser
import Foundation
import Logging
import ReassureCore
import ReassureGatewayStub

/// `reassure gateway-stub`: an imitation SMS/email provider over HTTP, for demos and tests of the
/// HTTP gateway client. Flags win over environment variables; logs mask addresses and never
/// show bodies.
struct GatewayStubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-stub",
        abstract: "A stand-in SMS/email provider over HTTP, with signed receipts and simulated replies.",
        discussion: """
            API: POST /v1/messages (Bearer key, Idempotency-Key), GET /v1/messages/stats, GET/POST /control \
            (change injected faults while running, e.g. {"transient_rate":1}), POST /simulate/inbound. \
            Accepted messages are appended to the sent-log; a signed delivery receipt goes to --receipts-url \
            after --receipt-delay-ms. Environment: REASSURE_STUB_API_KEY, REASSURE_STUB_SENT_LOG, \
            REASSURE_GATEWAY_WEBHOOK_SECRET, REASSURE_STUB_RECEIPTS_URL, REASSURE_STUB_INBOUND_URL. See README "Gateways".
            """)

    @Option(help: "Listen on host:port.") var addr = "127.0.0.1:9090"
    @Option(help: "Provider name in receipts, the sent-log and metrics.") var name = "stub-a"
    @Option(help: "Bearer API key clients must send (or REASSURE_STUB_API_KEY; default stub-key).") var apiKey: String?
    @Option(help: "Seed for injected failures (same seed, same failures).") var seed: UInt64 = 1
    @Option(help: "Probability 0…1 of a 500/503 answer.") var transientRate: Double = 0
    @Option(help: "Probability 0…1 of a 400 rejected answer.") var permanentRate: Double = 0
    @Option(help: "Added to every send, in milliseconds.") var latencyMs = 0
    @Option(help: "Delay before the delivery receipt, in milliseconds.") var receiptDelayMs = 200
    @Option(help: "Sends per recipient per minute before 429 (0: no limit).") var rateLimitPerMinute = 0
    @Option(help: "The producer's receipts webhook, e.g. http://127.0.0.1:8080/v1/gateway/receipts (or REASSURE_STUB_RECEIPTS_URL).")
    var receiptsUrl: String?
    @Option(help: "The producer's inbound webhook, e.g. http://127.0.0.1:8080/v1/gateway/inbound (or REASSURE_STUB_INBOUND_URL).")
    var inboundUrl: String?
    @Option(help: "Secret that signs webhooks (or REASSURE_GATEWAY_WEBHOOK_SECRET).") var webhookSecret: String?
    @Option(help: "Append accepted messages here as JSON lines (or REASSURE_STUB_SENT_LOG).") var sentLog: String?
    @Option(help: "Recipient refused with 403 blocked (repeatable).") var blocked: [String] = []
    @Option(help: "Recipient refused with 409 opted_out (repeatable).") var optedOut: [String] = []
    @Flag(help: "Write whole addresses to the sent-log (tests only).") var revealAddresses = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        bootstrapLogging(environment, fallback: .info)
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let configuration: GatewayStubConfiguration
        do {
            let (host, port) = try GatewayStubConfiguration.parseAddress(addr)
            let faults = StubFaults(transientRate: transientRate, permanentRate: permanentRate, latencyMS: latencyMs,
                                    receiptDelayMS: receiptDelayMs, rateLimitPerMinute: rateLimitPerMinute)
            if let problem = faults.problem { throw ConfigurationError(problem.replacingOccurrences(of: "_", with: "-")) }
            configuration = GatewayStubConfiguration(
                host: host, port: port, name: name,
                apiKey: nonEmpty(apiKey) ?? nonEmpty(environment["REASSURE_STUB_API_KEY"]) ?? "stub-key",
                seed: seed, faults: faults,
                receiptsURL: nonEmpty(receiptsUrl) ?? nonEmpty(environment["REASSURE_STUB_RECEIPTS_URL"]),
                inboundURL: nonEmpty(inboundUrl) ?? nonEmpty(environment["REASSURE_STUB_INBOUND_URL"]),
                webhookSecret: nonEmpty(webhookSecret) ?? nonEmpty(environment["REASSURE_GATEWAY_WEBHOOK_SECRET"]) ?? "dev-webhook-secret",
                sentLogPath: nonEmpty(sentLog) ?? nonEmpty(environment["REASSURE_STUB_SENT_LOG"]),
                revealAddresses: revealAddresses, blocked: Set(blocked), optedOut: Set(optedOut))
        } catch let error as ConfigurationError {
            printError("reassure gateway-stub: \(error)")
            throw ExitCode(2)
        }
        let logger = Logger(label: "reassure.gateway-stub")
        do {
            try await runGatewayStub(configuration, logger: logger) { port in
                logger.notice("gateway stub listening", metadata: [
                    "provider": "\(configuration.name)", "address": "\(configuration.host):\(port)",
                    "receipts": "\(configuration.receiptsURL ?? "none")", "inbound": "\(configuration.inboundURL ?? "none")",
                ])
            }
        } catch let error as GatewayStubStartError {
            printError("reassure gateway-stub: \(error)")
            throw ExitCode(1)
        }
    }
}
