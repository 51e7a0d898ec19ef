import AMQP
import Foundation
import Synchronization
import Testing

@Suite struct RecoveryTests {
    @Test func aConsumerWhoseConnectionIsForceClosedResumesAndLosesNothing() async throws {
        let queue = Broker.uniqueQueue("recover")
        let total = 5_000
        let publisher = try await Broker.connect("test-recover-pub", topology: testQueue(queue))
        #expect(await publisher.publish((0..<total).map { message($0, to: queue) }).allSatisfy { $0.isConfirmed })

        let configuration = try Broker.configuration("test-recover-con")
        let consumerConnection = try await AMQPConnection.connect(configuration)
        let firstGeneration = consumerConnection.generation
        let consumer = try await consumerConnection.consume(queue: queue, prefetch: 100)
        let seen = Mutex(Set<Int>())
        let killed = Mutex(false)

        let received = try await collect(from: consumer, timeout: .seconds(90), until: { _ in seen.withLock { $0.count } == total }) {
            delivery, count in
            seen.withLock { _ = $0.insert(Int(delivery.properties.messageId!)!) }
            consumer.ack(delivery)
            if count == 1_000 && !killed.withLock({ $0 }) {
                killed.withLock { $0 = true }
                try await Broker.forceClose(connectionNamed: configuration.connectionName)
            }
        }
        #expect(seen.withLock { $0 } == Set(0..<total), "every message arrives despite the lost connection")
        #expect(consumerConnection.generation > firstGeneration, "the consumer really reconnected")
        // A message seen twice lost its ack with the old connection; its second delivery is flagged.
        let byID = Dictionary(grouping: received) { Int($0.properties.messageId!)! }
        for (id, deliveries) in byID where deliveries.count > 1 {
            #expect(deliveries.dropFirst().allSatisfy { $0.redelivered }, "message \(id) came again unflagged")
        }

        await consumer.cancel()
        #expect(try await publisher.inspect(queue: queue).messages == 0)
        try await publisher.delete(queue: queue)
        await publisher.close()
        await consumerConnection.close()
    }

    @Test func publishesInFlightWhenTheConnectionDiesAreReportedFailedNeverLost() async throws {
        let queue = Broker.uniqueQueue("pub-recover")
        let configuration = try Broker.configuration("test-pub-recover")
        let publisher = try await AMQPConnection.connect(configuration, topology: testQueue(queue))
        let firstGeneration = publisher.generation
        let killed = Mutex(false)

        // Publish batches until the connection has been killed and replaced, retrying whatever
        // was not confirmed, as a caller must.
        let publishing = Task {
            var next = 0
            var failures = 0
            while !(killed.withLock { $0 } && publisher.generation > firstGeneration) {
                var pending = Array(next..<next + 500)
                next += 500
                while !pending.isEmpty {
                    let outcomes = await publisher.publish(pending.map { message($0, to: queue) })
                    let unconfirmed = pending.indices.filter { !outcomes[$0].isConfirmed }
                    failures += unconfirmed.count
                    pending = unconfirmed.map { pending[$0] }
                }
            }
            return (next, failures)
        }
        try await Broker.forceClose(connectionNamed: configuration.connectionName)
        killed.withLock { $0 = true }
        let (total, failures) = await publishing.value
        #expect(publisher.generation > firstGeneration, "the publisher reconnected by itself")

        let checker = try await Broker.connect("test-pub-recover-check")
        let consumer = try await checker.consume(queue: queue, prefetch: 500)
        let seen = Mutex(Set<Int>())
        _ = try await collect(from: consumer, timeout: .seconds(90), until: { _ in seen.withLock { $0.count } == total }) { delivery, _ in
            seen.withLock { _ = $0.insert(Int(delivery.properties.messageId!)!) }
            consumer.ack(delivery)
        }
        #expect(seen.withLock { $0 } == Set(0..<total), "all \(total) messages are on the queue (\(failures) were retried)")
        await consumer.cancel()
        try await checker.delete(queue: queue)
        await checker.close()
        await publisher.close()
    }
}
