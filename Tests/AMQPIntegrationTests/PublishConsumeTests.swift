import AMQP
import Foundation
import Testing

@Suite struct PublishConsumeTests {
    @Test func twentyThousandPersistentMessagesArriveOnceEach() async throws {
        let queue = Broker.uniqueQueue("bulk")
        let publisher = try await Broker.connect("test-bulk-pub", topology: testQueue(queue))
        let consumerConnection = try await Broker.connect("test-bulk-con")
        let total = 20_000

        let outcomes = await publisher.publish((0..<total).map { message($0, to: queue, size: 512) })
        #expect(outcomes.count == total)
        #expect(outcomes.allSatisfy { $0.isConfirmed })

        let consumer = try await consumerConnection.consume(queue: queue, prefetch: 512)
        let received = try await collect(from: consumer, timeout: .seconds(120), until: { $0.count >= total }) { delivery, _ in
            consumer.ack(delivery)
        }
        let ids = received.compactMap { $0.properties.messageId.flatMap(Int.init) }
        #expect(ids.count == total)
        #expect(Set(ids) == Set(0..<total), "every published message arrives")
        #expect(Set(ids).count == ids.count, "no message arrives twice")
        #expect(received.allSatisfy { $0.body.count == 512 && $0.properties.persistent })

        await consumer.cancel()
        #expect(try await publisher.inspect(queue: queue).messages == 0, "everything acked leaves the queue")
        try await publisher.delete(queue: queue)
        await publisher.close()
        await consumerConnection.close()
    }

    @Test func anUnroutableMandatoryMessageIsReportedReturned() async throws {
        let connection = try await Broker.connect("test-return")
        let outcome = await connection.publish(OutgoingMessage(
            exchange: "amq.direct", routingKey: "nobody-listens-\(UUID())", body: Array("x".utf8)))
        guard case .returned(let code, _) = outcome else {
            Issue.record("expected .returned, got \(outcome)")
            return
        }
        #expect(code == 312)
        await connection.close()
    }

    @Test func publishingToAMissingExchangeFailsThatPublishAndTheNextOneStillWorks() async throws {
        let queue = Broker.uniqueQueue("after-404")
        let connection = try await Broker.connect("test-404", topology: testQueue(queue))
        let outcome = await connection.publish(OutgoingMessage(exchange: "no-such-exchange-\(UUID())", routingKey: "k", body: [1]))
        guard case .failed(let error) = outcome else {
            Issue.record("expected .failed, got \(outcome)")
            return
        }
        #expect(error.code == .channelClosed)
        #expect(await connection.publish(message(1, to: queue)) == .confirmed)
        try await connection.delete(queue: queue)
        await connection.close()
    }
}
