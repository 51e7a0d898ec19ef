import AMQP
import Foundation

/// What operators do with `reassure.dead`: look at the dead letters (never their bodies, which
/// hold personal data) and, once the cause is fixed, replay them to the queue they died in.
public struct DeadLetterQueue: Sendable {
    public struct Letter: Sendable, Equatable {
        public var messageID: String?
        public var routingKey: String
        /// Reassure's reason, or the broker's (`delivery_limit`, `expired`, `rejected`).
        public var reason: String
        /// The work queue it died in.
        public var queue: String?
        public var deliveryCount: Int
    }

    let connection: AMQPConnection
    let queue: String

    public init(connection: AMQPConnection, queue: String = ReassureTopology.deadLetterQueue) {
        self.connection = connection
        self.queue = queue
    }

    /// Up to `limit` dead letters, oldest first; they stay in the queue.
    public func list(limit: Int) async throws -> [Letter] {
        let consumer = try await connection.consume(queue: queue, prefetch: UInt16(min(max(limit, 1), 1000)))
        let held = try await Self.take(from: consumer, max: limit)
        // Cancelling closes the consumer's channel, which returns every unsettled letter to the queue.
        await consumer.cancel()
        return held.map(Self.letter)
    }

    /// Sends dead letters back to the work queue they died in (all of them, or those with
    /// `messageID`), with their retry count and reason cleared; each is removed from the dead
    /// queue only after the broker confirmed its replay. Returns how many were replayed.
    public func replay(messageID: String? = nil, limit: Int) async throws -> Int {
        let consumer = try await connection.consume(queue: queue, prefetch: 100)
        let held = try await Self.take(from: consumer, max: messageID == nil ? limit : 100_000)
        var replayed = 0
        for delivery in held where replayed < limit {
            let letter = Self.letter(delivery)
            guard messageID == nil || letter.messageID == messageID, let target = letter.queue else { continue }
            var properties = delivery.properties
            for header in ["x-reassure-reason", "x-reassure-queue", "x-reassure-retries", "x-death", "x-first-death-reason",
                           "x-first-death-queue", "x-first-death-exchange", "x-last-death-reason", "x-last-death-queue",
                           "x-last-death-exchange", "x-delivery-count"] {
                properties.headers[header] = nil
            }
            if await connection.publish(OutgoingMessage(routingKey: target, body: delivery.body, properties: properties)).isConfirmed {
                _ = consumer.ack(delivery)
                replayed += 1
            }
        }
        // The rest go back to the queue when the consumer's channel closes.
        await consumer.cancel()
        return replayed
    }

    /// Deliveries until `max` or until none arrives for half a second (the queue is drained).
    static func take(from consumer: AMQPConsumer, max: Int) async throws -> [Delivery] {
        let buffer = DeliveryBuffer()
        // Not cancelled: ending the stream early would close the channel before the caller
        // settles; the pump ends when the caller cancels the consumer.
        _ = DeliveryBuffer.pump(consumer, into: buffer)
        var held: [Delivery] = []
        var idleSince = ContinuousClock.now
        while held.count < max, ContinuousClock.now - idleSince < .milliseconds(500) {
            let batch = await buffer.takeWaiting(max: max - held.count)
            if batch.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
            } else {
                held += batch
                idleSince = ContinuousClock.now
            }
        }
        return held
    }

    static func letter(_ delivery: Delivery) -> Letter {
        let headers = delivery.properties.headers
        let queue = headers["x-reassure-queue"]?.stringValue ?? headers["x-first-death-queue"]?.stringValue
        return Letter(messageID: delivery.properties.messageId, routingKey: delivery.routingKey, reason: delivery.deathReason ?? "unknown",
                      queue: queue, deliveryCount: delivery.deliveryCount)
    }
}
