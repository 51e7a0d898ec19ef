import AMQP
import Foundation
import Logging
import ReassureCore
import ReassureGateways
import ReassureStore
import ReassureWorkers
import ServiceLifecycle
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One isolated Reassure for a test: its own RabbitMQ virtual host on the real broker started
/// by deploy/test.sh, its own SQLite store and stub sent-log in a temporary directory, and
/// workers built exactly as `reassure worker` builds them.
struct WorkerHarness {
    let directory: URL
    let vhost: String
    let environment: [String: String]
    let store: Store
    let broker: AMQPConnection

    static var brokerURL: String { ProcessInfo.processInfo.environment["REASSURE_TEST_AMQP_URL"] ?? "amqp://guest:guest@localhost:5672/%2f" }
    static var managementURL: String { ProcessInfo.processInfo.environment["REASSURE_TEST_RABBITMQ_MANAGEMENT"] ?? "http://127.0.0.1:15672" }

    /// Sending hours open all week and schedules that fit in seconds of scaled time.
    static let policyYAML = """
        policy:
          callback_number: "+27123456789"
          support_line: "+27800123456"
          emergency_number: "10111"
          unit_language: en
          max_monthly_contacts: 0
          sending_hours:
            - {days: mon-sun, from: "00:00", to: "23:59"}
          schedules:
            standard: [acknowledgement@0h, check_in@1d, check_in@3d]
            enhanced: [acknowledgement@0h, check_in@1d, check_in@2d]
        """

    static func make(_ settings: [String: String] = [:]) async throws -> WorkerHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reassure-workers-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("reassure.yaml")
        try policyYAML.write(to: config, atomically: true, encoding: .utf8)
        let vhost = "reassure-test-\(UUID().uuidString.prefix(8).lowercased())"
        try await management("PUT", "/api/vhosts/\(vhost)")
        try await management("PUT", "/api/permissions/\(vhost)/guest", body: #"{"configure":".*","write":".*","read":".*"}"#)
        var components = URLComponents(string: brokerURL)!
        components.percentEncodedPath = "/" + vhost
        var environment: [String: String] = [
            "REASSURE_AMQP_URL": components.string!,
            "REASSURE_STORE_URL": "sqlite://" + directory.appendingPathComponent("reassure.sqlite").path,
            "REASSURE_DATA_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
            "REASSURE_CONFIG": config.path,
            "REASSURE_STUB_SENT_LOG": directory.appendingPathComponent("sent.jsonl").path,
            "REASSURE_STUB_REVEAL_ADDRESSES": "1",
            "REASSURE_STUB_RECEIPT_DELAY_MS": "20",
            "REASSURE_CLOCK_POLL_MS": "50",
            "REASSURE_SWEEP_SECONDS": "1",
        ]
        environment.merge(settings) { _, new in new }
        let store = try await Store.open(environment: environment)
        let broker = try await AMQPConnection.connect(try AMQPConfiguration.fromEnvironment(environment, connectionName: "test-harness"),
                                                      topology: ReassureTopology.standard)
        return WorkerHarness(directory: directory, vhost: vhost, environment: environment, store: store, broker: broker)
    }

    /// Starts a worker with these roles in this process; stop it with `Workers.stop()`.
    func startWorkers(_ roles: Set<WorkerConfiguration.Role> = Set(WorkerConfiguration.Role.allCases),
                      settings: [String: String] = [:]) async throws -> Workers {
        var logger = Logger(label: "test.worker")
        logger.logLevel = .warning
        let runtime = try await WorkerRuntime.assemble(environment: environment.merging(settings) { _, new in new }, roles: roles, logger: logger,
                                                   store: store)
        let group = ServiceGroup(services: runtime.services, logger: logger)
        let task = Task { try await group.run() }
        return Workers(runtime: runtime, group: group, task: task)
    }

    struct Workers {
        let runtime: WorkerRuntime
        let group: ServiceGroup
        let task: Task<Void, any Error>

        var smsStub: StubGateway? { runtime.dependencies.gateways[.sms] as? StubGateway }

        func stop() async throws {
            await group.triggerGracefulShutdown()
            try await task.value
        }
    }

    /// Publishes events as `reassure serve` does: to `reassure.events`, routed by type, confirmed.
    func publish(_ events: [[String: Any]]) async throws {
        let messages = try events.map { event in
            OutgoingMessage(exchange: ReassureTopology.eventsExchange, routingKey: event["type"] as? String ?? "case.reported",
                            body: Array(try JSONSerialization.data(withJSONObject: event)),
                            properties: MessageProperties(messageId: event["id"] as? String))
        }
        let outcomes = await broker.publish(messages)
        #expect(outcomes.allSatisfy { $0 == .confirmed })
    }

    /// Publishes raw bytes to an exchange (poison, replies).
    func publishRaw(_ body: [UInt8], exchange: String, routingKey: String) async {
        let outcome = await broker.publish(OutgoingMessage(exchange: exchange, routingKey: routingKey, body: body))
        #expect(outcome == .confirmed)
    }

    /// A victim's reply as the producer's webhook would publish it.
    func reply(from phone: String, text: String, id: String = UUID().uuidString) async throws {
        let reply = InboundReply(provider: "stub-sms", providerMessageID: id, channel: "sms", from: phone, text: text, receivedAt: Date())
        await publishRaw(Array(try WireCoding.encoder().encode(reply)), exchange: ReassureTopology.outcomesExchange, routingKey: InboundReply.routingKey)
    }

    /// What the stub gateways accepted, in order.
    func sent() throws -> [SentLog.Entry] {
        try SentLog.entries(at: environment["REASSURE_STUB_SENT_LOG"]!)
    }

    func close() async throws {
        await broker.close()
        await store.close()
        try? await Self.management("DELETE", "/api/vhosts/\(vhost)")
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    static func management(_ method: String, _ path: String, body: String? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: managementURL + path)!)
        request.httpMethod = method
        request.setValue("Basic " + Data("guest:guest".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw HarnessError("management API \(method) \(path) answered \(status)") }
        return data
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits for `condition` to hold, checking every 50 ms; fails the test with `message` after `timeout`.
func eventually(_ message: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw HarnessError("timed out after \(timeout): \(message)")
}

/// A case.reported event like an integrator's, with sending windows left out so tests do not
/// depend on the time of day.
func reportedEvent(id: String = "evt-\(UUID().uuidString.prefix(8))", reference: String = "CAS \(Int.random(in: 1...99999))/11/2026",
                   unit: String = "pretoria-central-vsu", languages: [String] = ["so", "en"], phone: String? = "+27825550101",
                   email: String? = "amina@example.org", safe: String = "yes", priority: String = "standard",
                   preferred: String = "sms", discreet: Bool? = nil) -> [String: Any] {
    var contact: [String: Any] = [:]
    if let phone { contact["sms"] = phone }
    if let email { contact["email"] = email }
    var victim: [String: Any] = [
        "ref": "V-\(Int.random(in: 1000...9999))", "given_name": "Amina", "languages": languages, "timezone": "Africa/Johannesburg",
        "contact": contact, "preferred_channel": preferred, "safe_to_contact": safe,
        "consent": ["status": "given", "at": ISO8601DateFormatter().string(from: Date()), "method": "verbal", "language": languages.first ?? "en"],
    ]
    if let discreet { victim["discreet_contact"] = discreet }
    return [
        "id": id, "type": "case.reported", "occurred_at": ISO8601DateFormatter().string(from: Date()),
        "case": ["reference": reference, "unit": unit, "category": "business_robbery", "priority": priority],
        "victim": victim,
        "officer": ["name": "Sgt N. Dlamini", "phone": "+27123456789"],
    ]
}

func event(_ type: String, reference: String, unit: String = "pretoria-central-vsu", extra: [String: Any] = [:]) -> [String: Any] {
    var event: [String: Any] = [
        "id": "evt-\(UUID().uuidString.prefix(8))", "type": type, "occurred_at": ISO8601DateFormatter().string(from: Date()),
        "case": ["reference": reference, "unit": unit],
    ]
    event.merge(extra) { _, new in new }
    return event
}
