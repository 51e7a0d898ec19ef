import AMQP
import Logging
import ReassureCore

/// Sends a message an operator must look at to the dead-letter queue with Reassure's reason
/// (header `x-reassure-reason`), then acks the original, so poison never loops.
enum DeadLetters {
    static func send(_ delivery: Delivery, reason: String, from consumer: AMQPConsumer, via connection: AMQPConnection,
                     logger: Logger) async {
        if await publish(delivery.body, like: delivery, reason: reason, queue: consumer.queue, via: connection, logger: logger) {
            _ = consumer.ack(delivery)
        } else {
            // Not confirmed: reject so the broker's own dead-lettering (or a retry) keeps it.
            _ = consumer.reject(delivery, requeue: false)
        }
    }

    /// Dead-letters `body` — the whole of `original`, or the one contact or receipts of it that
    /// are poison — with `original`'s routing key and properties. True once the broker confirmed
    /// it; the caller settles `original`.
    static func publish(_ body: [UInt8], like original: Delivery, reason: String, queue: String, via connection: AMQPConnection,
                        logger: Logger) async -> Bool {
        var properties = original.properties
        properties.headers["x-reassure-reason"] = .string(reason)
        properties.headers["x-reassure-queue"] = .string(queue)
        let outcome = await connection.publish(OutgoingMessage(
            exchange: ReassureTopology.deadLetterExchange, routingKey: original.routingKey, body: body, properties: properties))
        if outcome.isConfirmed {
            logger.warning("dead-lettered a message", metadata: ["queue": "\(queue)", "reason": "\(reason)",
                                                                "message_id": "\(original.properties.messageId ?? "-")"])
        }
        return outcome.isConfirmed
    }

    /// For a message that may succeed a little later (it overtook what it depends on): back
    /// through the 10 s retry tier of `consumer`'s queue up to `limit` times, then to the
    /// dead-letter queue with `reason`.
    static func retryLater(_ delivery: Delivery, limit: Int, reason: String, stage: String, from consumer: AMQPConsumer,
                           via connection: AMQPConnection, logger: Logger) async {
        switch await retryLater(delivery.body, of: delivery, limit: limit, reason: reason, stage: stage, queue: consumer.queue,
                                via: connection, logger: logger) {
        case .confirmed: _ = consumer.ack(delivery)
        case .notConfirmed: _ = consumer.nack(delivery, requeue: true)
        }
    }

    enum Published { case confirmed, notConfirmed }

    /// `retryLater` for part of a delivery (`body`: the receipts of a batch that came too early);
    /// the caller settles `original`.
    static func retryLater(_ body: [UInt8], of original: Delivery, limit: Int, reason: String, stage: String, queue: String,
                           via connection: AMQPConnection, logger: Logger) async -> Published {
        let retries = Int(original.properties.headers[ContactDue.retriesHeader]?.intValue ?? 0)
        guard retries < limit else {
            let confirmed = await publish(body, like: original, reason: reason, queue: queue, via: connection, logger: logger)
            if confirmed { WorkerMetrics.count(stage, "dead_lettered") }
            return confirmed ? .confirmed : .notConfirmed
        }
        var properties = original.properties
        properties.headers[ContactDue.retriesHeader] = .int(Int64(retries + 1))
        let outcome = await connection.publish(OutgoingMessage(
            routingKey: ReassureTopology.retryQueue(for: queue, suffix: "10s"), body: body, properties: properties))
        WorkerMetrics.count(stage, "retried")
        return outcome.isConfirmed ? .confirmed : .notConfirmed
    }
}
