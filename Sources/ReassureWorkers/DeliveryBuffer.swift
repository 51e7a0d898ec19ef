import AMQP

/// Turns a consumer's stream into batches without adding latency: a pump appends deliveries as
/// they arrive, and the processor takes everything waiting (up to a maximum) each time it is
/// ready. Under load batches grow by themselves; when idle a single message goes at once.
/// Several processors may take from one buffer (batches processed at once).
actor DeliveryBuffer {
    private var waiting: [Delivery] = []
    private var finished = false
    private var failure: (any Error)?
    private var readers: [CheckedContinuation<Void, Never>] = []

    func append(_ delivery: Delivery) {
        waiting.append(delivery)
        wake()
    }

    func finish(_ error: (any Error)? = nil) {
        finished = true
        failure = error
        wake()
    }

    /// The next batch, waiting for at least one delivery; nil once the stream ended and all were
    /// taken. `max` counts `weight` (what a delivery carries: one contact, or fifty); a batch
    /// always takes at least one delivery.
    func nextBatch(max: Int, weight: @Sendable (Delivery) -> Int = { _ in 1 }) async throws -> [Delivery]? {
        while waiting.isEmpty {
            if finished {
                if let failure { throw failure }
                return nil
            }
            await withCheckedContinuation { readers.append($0) }
        }
        var taken = 1
        var total = weight(waiting[0])
        while taken < waiting.count, total + weight(waiting[taken]) <= max {
            total += weight(waiting[taken])
            taken += 1
        }
        let batch = Array(waiting.prefix(taken))
        waiting.removeFirst(taken)
        return batch
    }

    /// What is waiting now, without waiting for more.
    func takeWaiting(max: Int) -> [Delivery] {
        let batch = Array(waiting.prefix(max))
        waiting.removeFirst(batch.count)
        return batch
    }

    /// Every waiting processor looks again; those that find nothing wait again.
    private func wake() {
        let woken = readers
        readers.removeAll()
        for reader in woken { reader.resume() }
    }

    /// Pumps `consumer` into the buffer until its stream ends.
    static func pump(_ consumer: AMQPConsumer, into buffer: DeliveryBuffer) -> Task<Void, Never> {
        Task {
            do {
                for try await delivery in consumer.deliveries { await buffer.append(delivery) }
                await buffer.finish()
            } catch {
                await buffer.finish(error)
            }
        }
    }
}
