import AMQP
import Foundation
import Logging
import ReassureCore
import ReassureGateways
import ReassureStore
import ServiceLifecycle

/// `reassure bench pipeline`: N reported cases (3 contacts each, all due at once) put on the
/// broker as events, then one worker process with every role and the in-process stub gateways
/// takes them to recorded outcomes (delivered) in a fresh SQLite store.
public struct PipelineBenchmark {
    public struct Figures: Sendable {
        public var contacts: Int
        public var seconds: Double
        public var dueToSentP50: Double
        public var dueToSentP99: Double
        public var peakRSSMiB: Double
        public var contactsPerSecond: Double { Double(contacts) / seconds }
    }

    public var cases = 2000
    public var amqpURL: String
    public var directory: URL

    public init(cases: Int, amqpURL: String, directory: URL) {
        self.cases = cases
        self.amqpURL = amqpURL
        self.directory = directory
    }

    static let policy = """
        policy:
          callback_number: "+27123456789"
          max_monthly_contacts: 0
          sending_hours:
            - {days: mon-sun, from: "00:00", to: "23:59"}
          schedules:
            standard: [acknowledgement@0h, check_in@0h, check_in@0h]
        """

    /// Worker settings taken from the benchmark's own environment when set.
    static let tuningKnobs = ["REASSURE_PREFETCH", "REASSURE_DISPATCH_CONCURRENCY", "REASSURE_MAX_QUEUED", "REASSURE_CLAIM_BATCH", "REASSURE_CLOCK_POLL_MS"]

    public func run(progress: @Sendable (String) -> Void) async throws -> Figures {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("bench.yaml")
        try Self.policy.write(to: config, atomically: true, encoding: .utf8)
        var environment: [String: String] = [
            "REASSURE_AMQP_URL": amqpURL, "REASSURE_STORE_URL": "sqlite://" + directory.appendingPathComponent("bench.sqlite").path,
            "REASSURE_DATA_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
            "REASSURE_CONFIG": config.path, "REASSURE_STUB_SENT_LOG": directory.appendingPathComponent("sent.jsonl").path,
            "REASSURE_STUB_RECEIPT_DELAY_MS": "0", "REASSURE_CLOCK_POLL_MS": "20",
        ]
        // The worker's tuning knobs may be tried from the shell (`REASSURE_PREFETCH=400 reassure bench pipeline`).
        for knob in Self.tuningKnobs {
            if let value = ProcessInfo.processInfo.environment[knob] { environment[knob] = value }
        }
        var logger = Logger(label: "reassure.bench")
        logger.logLevel = .warning
        let connection = try await AMQPConnection.connect(try AMQPConfiguration.fromEnvironment(environment, connectionName: "reassure-bench"),
                                                          topology: ReassureTopology.standard, logger: logger)
        for queue in ReassureTopology.standard.queues.map(\.name) { try await connection.purge(queue: queue) }
        progress("publishing \(cases) case.reported events")
        try await publishEvents(connection)
        await connection.close()

        let runtime = try await WorkerRuntime.assemble(environment: environment, roles: Set(WorkerConfiguration.Role.allCases), logger: logger)
        let store = runtime.dependencies.store
        let group = ServiceGroup(services: runtime.services, logger: logger)
        let started = ContinuousClock.now
        let running = Task { try await group.run() }
        let target = cases * 3
        var peak = 0.0
        var lastReport = ContinuousClock.now
        while true {
            // Polled through the partial indexes; the full count (every row) only to confirm the end.
            let count = try await store.openContactCount()
            peak = max(peak, Self.residentMiB())
            if count.total >= target && count.open == 0 {
                let delivered = try await store.contactCounts()[.delivered] ?? 0
                guard delivered >= target else {
                    throw GatewayError("only \(delivered) of \(target) contacts were delivered; the others failed or were cancelled")
                }
                break
            }
            if ContinuousClock.now - lastReport > .seconds(2) {
                progress("\(count.total - count.open)/\(target) done")
                lastReport = ContinuousClock.now
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let elapsed = ContinuousClock.now - started
        let latencies = try await store.dueToSentMilliseconds().sorted()
        guard latencies.count >= target else {
            throw GatewayError("only \(latencies.count) of \(target) contacts have a recorded send time; the latency figures would leave some out")
        }
        peak = max(peak, Self.peakResidentMiB())
        await group.triggerGracefulShutdown()
        try await running.value
        await store.close()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Figures(contacts: target, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                       dueToSentP50: percentile(0.5), dueToSentP99: percentile(0.99), peakRSSMiB: peak)
    }

    private func publishEvents(_ connection: AMQPConnection) async throws {
        let now = ISO8601DateFormatter().string(from: Date())
        var messages: [OutgoingMessage] = []
        for index in 0..<cases {
            let event: [String: Any] = [
                "id": "bench-\(index)", "type": "case.reported", "occurred_at": now,
                "case": ["reference": "BENCH \(index)", "unit": "unit-\(index % 8)", "category": "burglary", "priority": "standard"],
                "victim": ["ref": "V-\(index)", "languages": [["so", "am", "pt-MZ", "zu", "en"][index % 5]], "timezone": "Africa/Johannesburg",
                           "contact": ["sms": "+2782\(String(format: "%07d", index))"], "preferred_channel": "sms", "safe_to_contact": "yes",
                           "consent": ["status": "given"]] as [String: Any],
            ]
            messages.append(OutgoingMessage(exchange: ReassureTopology.eventsExchange, routingKey: "case.reported",
                                            body: Array(try JSONSerialization.data(withJSONObject: event)),
                                            properties: MessageProperties(messageId: "bench-\(index)")))
        }
        let outcomes = await connection.publish(messages)
        guard outcomes.allSatisfy(\.isConfirmed) else { throw GatewayError("the broker did not confirm every benchmark event") }
    }

    /// Current resident set size of this process.
    static func residentMiB() -> Double { statusField("VmRSS:") }
    /// Peak resident set size of this process (what the kernel recorded).
    static func peakResidentMiB() -> Double { statusField("VmHWM:") }

    private static func statusField(_ name: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
        return kilobytes / 1024
    }
}
