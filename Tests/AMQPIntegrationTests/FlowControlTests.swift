import AMQP
import Foundation
import Testing

@Suite struct FlowControlTests {
    @Test func anIdleConnectionIsKeptAliveByHeartbeats() async throws {
        var configuration = try Broker.configuration("test-heartbeat")
        configuration.heartbeat = .seconds(1)
        let connection = try await AMQPConnection.connect(configuration)
        let generation = connection.generation
        // Idle for four heartbeat intervals: a broker that missed two would have closed it.
        try await Task.sleep(for: .seconds(4))
        #expect(connection.generation == generation, "the connection never had to reconnect")
        #expect(await connection.isConnected)
        await connection.close()
    }

    @Test func publishersWaitWhileTheBrokerBlocksThemAndNothingIsDropped() async throws {
        guard let node = ProcessInfo.processInfo.environment["REASSURE_TEST_RABBITMQ_NODE"] else {
            Issue.record("REASSURE_TEST_RABBITMQ_NODE is not set; run the suite through deploy/test.sh")
            return
        }
        let queue = Broker.uniqueQueue("blocked")
        let publisher = try await Broker.connect("test-blocked", topology: testQueue(queue))
        #expect(await publisher.publish(message(0, to: queue)) == .confirmed)

        // A memory watermark of 0 raises the broker's memory alarm: it blocks every publisher.
        try await rabbitmqctl(node, "set_vm_memory_high_watermark", "0")
        let publishing = Task { await publisher.publish((1...20).map { message($0, to: queue) }) }
        do {
            try await waitUntil(timeout: .seconds(20)) { await publisher.isBlocked }
        } catch {
            try await rabbitmqctl(node, "set_vm_memory_high_watermark", "0.4")
            throw error
        }
        try await rabbitmqctl(node, "set_vm_memory_high_watermark", "0.4")
        let outcomes = await publishing.value
        #expect(outcomes.allSatisfy { $0.isConfirmed }, "blocked publishes go out once unblocked")
        #expect(await !publisher.isBlocked)
        #expect(try await publisher.inspect(queue: queue).messages == 21)
        try await publisher.delete(queue: queue)
        await publisher.close()
    }
}

/// Polls `condition` until it holds, failing after `timeout`.
func waitUntil(timeout: Duration, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestFailure("condition not met within \(timeout)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}
