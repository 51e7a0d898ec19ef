@testable import AMQP
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import ReassureWorkers

/// The dispatcher works on several batches at once: while one waits for the store or the
/// gateway, the next is checked and rendered. Each message must still be processed once and
/// settled once, and no more batches than asked for may run together.
@Suite(.serialized) struct ConsumerLoopTests {
    @Test func batchesRunTogetherUpToTheConcurrencyAndEachMessageIsProcessedAndSettledOnce() async throws {
        let harness = try await WorkerHarness.make()
        let queue = "test.consumer-loop"
        let connection = try await AMQPConnection.connect(try AMQPConfiguration.fromEnvironment(harness.environment, connectionName: "test-loop"),
                                                          topology: Topology(queues: [.quorum(queue, deliveryLimit: 10, deadLetterExchange: "")]))
        let ids = (0..<8).map { "m-\($0)" }
        let outcomes = await connection.publish(ids.map { OutgoingMessage(routingKey: queue, body: Array($0.utf8), properties: MessageProperties(messageId: $0)) })
        #expect(outcomes.allSatisfy { $0 == .confirmed })

        let overlap = OverlapRecorder(partners: 2)
        var logger = Logger(label: "test.loop")
        logger.logLevel = .warning
        let loop = ConsumerLoop(queue: queue, prefetch: 20, batchSize: 1, logger: logger, concurrency: 2)
        let service = LoopService(loop: loop, connection: connection) { batch, consumer in
            await overlap.enter()
            for delivery in batch {
                await overlap.processed(String(decoding: delivery.body, as: UTF8.self))
                _ = consumer.ack(delivery)
            }
            await overlap.leave()
        }
        let group = ServiceGroup(services: [service], logger: logger)
        let running = Task { try await group.run() }
        try await eventually("every message is processed") { await overlap.seen.count == ids.count }
        await group.triggerGracefulShutdown()
        try await running.value

        #expect(await overlap.seen.sorted() == ids.sorted())
        #expect(await overlap.most == 2)
        try await eventually("the queue is empty: each message was acked") {
            try await harness.broker.inspect(queue: queue).messages == 0
        }
        try await connection.delete(queue: queue)
        await connection.close()
        try await harness.close()
    }
}

private struct LoopService: Service {
    let loop: ConsumerLoop
    let connection: AMQPConnection
    let process: @Sendable ([Delivery], AMQPConsumer) async throws -> Void

    func run() async throws { try await loop.run(on: connection, process: process) }
}

/// Counts batches in progress. A batch that starts alone waits (up to a few seconds) for a
/// partner, so running together shows up even on a fast machine.
private actor OverlapRecorder {
    let partners: Int
    private(set) var inFlight = 0
    private(set) var most = 0
    private(set) var seen: [String] = []

    init(partners: Int) { self.partners = partners }

    func enter() async {
        inFlight += 1
        most = max(most, inFlight)
        let deadline = ContinuousClock.now + .seconds(5)
        while inFlight < partners, most < partners, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    func leave() { inFlight -= 1 }
    func processed(_ id: String) { seen.append(id) }
}
