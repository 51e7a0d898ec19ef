import AMQP
import Foundation
import HummingbirdTesting
import ReassureServer
import Synchronization
import Testing

/// A RabbitMQ node of this test's own (the shared test broker is not stopped under other
/// tests' feet), started with the project's script and wiped afterwards.
struct PrivateBroker {
    let node: String
    let url: String
    let environment: [String: String]

    static var repository: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    static func start() async throws -> PrivateBroker {
        var environment = ProcessInfo.processInfo.environment
        let base = Int(environment["REASSURE_RABBITMQ_PORT"] ?? "") ?? 5682
        let mgmt = Int(environment["REASSURE_RABBITMQ_MGMT_PORT"] ?? "") ?? 15682
        let prom = Int(environment["REASSURE_RABBITMQ_PROM_PORT"] ?? "") ?? 15702
        let node = (environment["REASSURE_TEST_RABBITMQ_NODE"] ?? "reassure-test@localhost").replacingOccurrences(of: "@", with: "-restart@")
        environment["REASSURE_RABBITMQ_DIR"] = (environment["REASSURE_RABBITMQ_DIR"] ?? "/tmp/reassure-test-rabbitmq") + "-restart"
        environment["REASSURE_RABBITMQ_NODE"] = node
        environment["REASSURE_RABBITMQ_PORT"] = String(base + 101)
        environment["REASSURE_RABBITMQ_MGMT_PORT"] = String(mgmt + 101)
        environment["REASSURE_RABBITMQ_PROM_PORT"] = String(prom + 101)
        environment["REASSURE_RABBITMQ_DIST_PORT"] = String(base + 101 + 20000)
        environment["REASSURE_RABBITMQ_TLS_PORT"] = nil
        let output = try await runBlocking(repository.appendingPathComponent("deploy/rabbitmq-start.sh").path, [], environment: environment)
        let url = output.split(separator: "\n").last.map(String.init) ?? ""
        return PrivateBroker(node: node, url: url, environment: environment)
    }

    func ctl(_ arguments: String...) async throws {
        try await runBlocking("/usr/sbin/rabbitmqctl", ["-n", node, "-q"] + arguments)
    }

    func stop() async {
        var environment = environment
        environment["REASSURE_RABBITMQ_WIPE"] = "1"
        _ = try? await runBlocking(PrivateBroker.repository.appendingPathComponent("deploy/rabbitmq-stop.sh").path, [], environment: environment)
    }
}

@Suite struct BrokerRestartTests {
    @Test(.timeLimit(.minutes(5)))
    func eventsAcceptedWhileTheBrokerIsStoppedMidBatchReachTheQueueExactlyOnce() async throws {
        let broker = try await PrivateBroker.start()
        do {
            try await run(broker)
        } catch {
            await broker.stop()
            throw error
        }
        await broker.stop()
    }

    private func run(_ broker: PrivateBroker) async throws {
        let fixture = try await ServerFixture.make(amqpURL: broker.url)
        let (tap, queue) = try await fixture.tap()
        let token = try await fixture.token("integrator")
        let batches = (0..<30).map { batch in (0..<100).map { _ in uniqueID("restart-\(batch)") } }
        let accepted = Mutex<[String]>([])

        try await fixture.app.test(.router) { client in
            func post(_ ids: [String]) async throws {
                let response = try await client.execute(uri: "/v1/events", method: .post, headers: bearer(token),
                                                        body: try json(["events": ids.map { reportedEvent(id: $0) }]))
                #expect(response.status == .accepted, "the API keeps accepting while the broker is away: \(response.text)")
                accepted.withLock { $0 += response.object["accepted"] as? [String] ?? [] }
            }
            for ids in batches.prefix(10) { try await post(ids) }
            // Stop the broker as soon as the relay has confirmed some, but not all, of the first 1,000.
            try await eventually("the relay has published part of the outbox", timeout: .seconds(60)) {
                let depth = try await fixture.store.outboxDepth().count
                return depth < 1_000
            }
            try await broker.ctl("stop_app")
            for ids in batches.dropFirst(10).prefix(10) { try await post(ids) }
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .serviceUnavailable, "ready says the broker is away")
            #expect(try await fixture.store.outboxDepth().count > 0, "events wait in the outbox")
            try await broker.ctl("start_app")
            for ids in batches.dropFirst(20) { try await post(ids) }
            try await eventually("the relay has caught up", timeout: .seconds(120)) { try await fixture.store.outboxDepth().count == 0 }
        }
        let expected = batches.flatMap { $0 }
        try await eventually("the tap's connection is back") { await tap.isConnected }
        #expect(accepted.withLock { $0 }.sorted() == expected.sorted(), "every event was accepted")
        let deliveries = try await drain(tap, queue: queue, timeout: .seconds(60)) { received in
            Set(received.compactMap { $0.properties.messageId }).count >= expected.count
        }
        let ids = deliveries.compactMap { $0.properties.messageId }
        #expect(Set(ids) == Set(expected), "every accepted event reached the queue")
        #expect(ids.count == expected.count, "and each exactly once (\(ids.count - Set(ids).count) duplicates)")
        #expect(try await tap.inspect(queue: queue).messages == 0, "no further copies wait on the queue")
        await tap.close()
        await fixture.close()
    }
}
