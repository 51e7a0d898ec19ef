import AMQP
import Logging
import ReassureCore

/// Sends a message an operator must look at to the dead-letter queue with Reassure's reason
/// (header `x-reassure-reason`), then acks the original, so poison never loops.
enum DeadLetters {
    static func send(_ delivery: Delivery, reason: String, from consumer: AMQPConsumer, via connection: AMQPConnection,
                     logger: Logger) async {
        var properties = delivery.properties
        properties.headers["x-reassure-reason"] = .string(reason)
        properties.headers["x-reassure-queue"] = .string(consumer.queue)
        let outcome = await connection.publish(OutgoingMessage(
            exchange: ReassureTopology.deadLetterExchange, routingKey: delivery.routingKey, body: delivery.body, properties: properties))
        if outcome.isConfirmed {
            _ = consumer.ack(delivery)
            logger.warning("dead-lettered a message", metadata: ["queue": "\(consumer.queue)", "reason": "\(reason)",
                                                                "message_id": "\(delivery.properties.messageId ?? "-")"])
        } else {
            // Not confirmed: reject so the broker's own dead-lettering (or a retry) keeps it.
            _ = consumer.reject(delivery, requeue: false)
        }
    }

    /// For a message that may succeed a little later (it overtook what it depends on): back
    /// through the 10 s retry tier of `consumer`'s queue up to `limit` times, then to the
    /// dead-letter queue with `reason`.
    static func retryLater(_ delivery: Delivery, limit: Int, reason: String, stage: String, from consumer: AMQPConsumer,
                           via connection: AMQPConnection, logger: Logger) async {
        let retries = Int(delivery.properties.headers[ContactDue.retriesHeader]?.intValue ?? 0)
        guard retries < limit else {
            await send(delivery, reason: reason, from: consumer, via: connection, logger: logger)
            WorkerMetrics.count(stage, "dead_lettered")
            return
        }
        var properties = delivery.properties
        properties.headers[ContactDue.retriesHeader] = .int(Int64(retries + 1))
        let outcome = await connection.publish(OutgoingMessage(
            routingKey: ReassureTopology.retryQueue(for: consumer.queue, suffix: "10s"), body: delivery.body, properties: properties))
        if outcome.isConfirmed { _ = consumer.ack(delivery) } else { _ = consumer.nack(delivery, requeue: true) }
        WorkerMetrics.count(stage, "retried")
    }
}
