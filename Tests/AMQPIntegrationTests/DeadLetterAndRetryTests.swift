import AMQP
import Foundation
import Testing

@Suite struct DeadLetterAndRetryTests {
    @Test func aMessageRejectedPastTheDeliveryLimitIsDeadLetteredWithItsReason() async throws {
        let queue = Broker.uniqueQueue("poison")
        let deadExchange = "test.dlx.\(UUID().uuidString.prefix(8))"
        let deadQueue = Broker.uniqueQueue("dead")
        let topology = Topology(
            exchanges: [.init(deadExchange, kind: .topic)],
            queues: [.quorum(queue, deliveryLimit: 2, deadLetterExchange: deadExchange),
                     .init(deadQueue, arguments: ["x-queue-type": .string("quorum")])],
            bindings: [.init(queue: deadQueue, exchange: deadExchange, routingKey: "#")])
        let connection = try await Broker.connect("test-poison", topology: topology)
        #expect(await connection.publish(message(42, to: queue)) == .confirmed)

        let consumer = try await connection.consume(queue: queue, prefetch: 1)
        let deadConsumer = try await connection.consume(queue: deadQueue, prefetch: 1)
        // Keep handing the message back, as a handler that fails would.
        let rejecting = Task {
            for try await delivery in consumer.deliveries { consumer.reject(delivery, requeue: true) }
        }
        let dead = try await collect(from: deadConsumer, timeout: .seconds(30), until: { !$0.isEmpty }) { delivery, _ in
            deadConsumer.ack(delivery)
        }
        rejecting.cancel()
        #expect(dead.first?.properties.messageId == "42")
        #expect(dead.first?.deathReason == "delivery_limit")
        #expect(dead.first?.routingKey == queue, "the dead letter keeps its original routing key")

        await consumer.cancel()
        await deadConsumer.cancel()
        try await connection.delete(queue: queue)
        try await connection.delete(queue: deadQueue)
        await connection.close()
    }

    @Test func aRetryTierReturnsAMessageToItsWorkQueueAfterItsDelay() async throws {
        let queue = Broker.uniqueQueue("work")
        let topology = ReassureTopology.workQueue(queue, retryDelays: [("1s", .seconds(1))])
        let connection = try await Broker.connect("test-retry", topology: topology)
        let consumer = try await connection.consume(queue: queue, prefetch: 10)

        let retryQueue = ReassureTopology.retryQueue(for: queue, suffix: "1s")
        let sent = ContinuousClock.now
        #expect(await connection.publish(message(7, to: retryQueue)) == .confirmed)
        let back = try await collect(from: consumer, timeout: .seconds(30), until: { !$0.isEmpty }) { delivery, _ in
            consumer.ack(delivery)
        }
        let waited = ContinuousClock.now - sent
        #expect(back.first?.properties.messageId == "7")
        #expect(waited >= .milliseconds(900), "the tier held the message for its delay (\(waited))")
        #expect(back.first?.deathReason == "expired")

        await consumer.cancel()
        for name in topology.queues.map(\.name) { try await connection.delete(queue: name) }
        await connection.close()
    }

    @Test func redeclaringAQueueWithOtherArgumentsNamesTheQueueAndTheArgument() async throws {
        let queue = Broker.uniqueQueue("redeclare")
        let connection = try await Broker.connect("test-redeclare", topology: testQueue(queue, deliveryLimit: 10))
        do {
            try await connection.declare(testQueue(queue, deliveryLimit: 5))
            Issue.record("expected a precondition failure")
        } catch let error as AMQPError {
            #expect(error.code == .preconditionFailed)
            #expect(error.queue == queue)
            #expect(error.argument == "x-delivery-limit")
        }
        // The connection stays usable after the refused declaration.
        #expect(try await connection.inspect(queue: queue).messages == 0)
        try await connection.delete(queue: queue)
        await connection.close()
    }
}
