import AMQP
import Logging
import ServiceLifecycle

/// The shape every consuming role shares: consume a queue in batches, hand each batch to
/// `process`, and on graceful shutdown cancel the consumer, finish the batches already
/// delivered, and return. A batch that throws (the store is unreachable, say) is retried with
/// backoff, never acked unprocessed and never dropped.
struct ConsumerLoop: Sendable {
    var queue: String
    var prefetch: UInt16
    /// Largest batch, counted in `weight`.
    var batchSize: Int
    var logger: Logger
    /// What one delivery counts for in a batch (contacts in a `contact.due` message).
    var weight: @Sendable (Delivery) -> Int = { _ in 1 }
    /// Batches processed at once. More than one only where messages need no order among
    /// themselves: while one batch waits for the store, the next is read, rendered and sent.
    var concurrency = 1

    func run(on connection: AMQPConnection, process: @escaping @Sendable ([Delivery], AMQPConsumer) async throws -> Void) async throws {
        let consumer = try await connection.consume(queue: queue, prefetch: prefetch)
        let buffer = DeliveryBuffer()
        let pump = DeliveryBuffer.pump(consumer, into: buffer)
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { processors in
                for _ in 0..<max(1, concurrency) {
                    processors.addTask { try await drain(buffer, on: consumer, process: process) }
                }
                try await processors.waitForAll()
            }
        } onGracefulShutdown: {
            Task { await consumer.cancel() }
        }
        pump.cancel()
    }

    /// Takes batches from `buffer` until the stream ends; a batch that throws is retried.
    private func drain(_ buffer: DeliveryBuffer, on consumer: AMQPConsumer,
                       process: @Sendable ([Delivery], AMQPConsumer) async throws -> Void) async throws {
        while let batch = try await buffer.nextBatch(max: batchSize, weight: weight) {
            var delay = Duration.milliseconds(100)
            while true {
                do {
                    try await process(batch, consumer)
                    break
                } catch {
                    logger.error("processing a batch failed; retrying", metadata: ["queue": "\(queue)", "error": "\(error)"])
                    try await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(10))
                }
            }
        }
    }
}
