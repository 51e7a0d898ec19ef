import Foundation

/// `reassure bench amqp`: the Swift wrapper against the plain C loop, same broker, same queue
/// type, same message size, in alternating rounds so drift on the machine hits both alike.
public struct AMQPBenchmark: Sendable {
    public struct Options: Sendable {
        public var url: AMQPURL
        public var messages: Int = 100_000
        public var size: Int = 512
        public var window: Int = 512
        public var prefetch: Int = 512
        public var rounds: Int = 3
        public init(url: AMQPURL) { self.url = url }
    }

    /// Rates in messages per second, one entry per round.
    public struct Figures: Sendable {
        public var publish: [Double] = []
        public var consume: [Double] = []
        public var cPublish: [Double] = []
        public var cConsume: [Double] = []
    }

    public let options: Options
    public init(options: Options) { self.options = options }

    /// Runs every round; `progress` gets one human-readable line per phase.
    public func run(progress: @Sendable (String) -> Void) async throws -> Figures {
        let queue = "reassure.bench.\(UUID().uuidString.prefix(8))"
        let topology = Topology(queues: [.quorum(queue, deliveryLimit: 10, deadLetterExchange: ReassureTopology.deadLetterExchange)])
        var publisherConfiguration = AMQPConfiguration(url: options.url, connectionName: "reassure-bench-publish")
        publisherConfiguration.confirmWindow = options.window
        let publisher = try await AMQPConnection.connect(publisherConfiguration, topology: topology)
        let consumerConnection = try await AMQPConnection.connect(
            AMQPConfiguration(url: options.url, connectionName: "reassure-bench-consume"))
        defer { Task { [publisher, consumerConnection] in await publisher.close(); await consumerConnection.close() } }

        let body = [UInt8](repeating: UInt8(ascii: "x"), count: options.size)
        let messages = (0..<options.messages).map { _ in
            OutgoingMessage(routingKey: queue, body: body, properties: MessageProperties(contentType: "application/octet-stream"))
        }
        var figures = Figures()
        for round in 1...options.rounds {
            let publishRate = try await swiftPublish(messages, with: publisher)
            figures.publish.append(publishRate)
            progress("round \(round): swift publish \(Int(publishRate)) msg/s")
            let consumeRate = try await swiftConsume(queue: queue, with: consumerConnection)
            figures.consume.append(consumeRate)
            progress("round \(round): swift consume \(Int(consumeRate)) msg/s")

            let options = options
            let cPublish = try await onOwnThread {
                try PlainCBaseline.publish(url: options.url, queue: queue, count: options.messages, size: options.size,
                                           window: options.window)
            }
            figures.cPublish.append(cPublish.perSecond)
            progress("round \(round): C publish \(Int(cPublish.perSecond)) msg/s")
            let cConsume = try await onOwnThread {
                try PlainCBaseline.consume(url: options.url, queue: queue, count: options.messages, prefetch: options.prefetch)
            }
            figures.cConsume.append(cConsume.perSecond)
            progress("round \(round): C consume \(Int(cConsume.perSecond)) msg/s")
        }
        try await publisher.delete(queue: queue)
        return figures
    }

    private func swiftPublish(_ messages: [OutgoingMessage], with connection: AMQPConnection) async throws -> Double {
        let started = ContinuousClock.now
        let outcomes = await connection.publish(messages)
        let seconds = Backoff.seconds(ContinuousClock.now - started)
        let failed = outcomes.filter { !$0.isConfirmed }.count
        guard failed == 0 else {
            throw AMQPError(.protocolError, "\(failed) benchmark messages were not confirmed", remedy: "check the broker's log")
        }
        return Double(messages.count) / seconds
    }

    private func swiftConsume(queue: String, with connection: AMQPConnection) async throws -> Double {
        let consumer = try await connection.consume(queue: queue, prefetch: UInt16(options.prefetch))
        let started = ContinuousClock.now
        var received = 0
        for try await delivery in consumer.deliveries {
            consumer.ack(delivery)
            received += 1
            if received == options.messages { break }
        }
        let seconds = Backoff.seconds(ContinuousClock.now - started)
        await consumer.cancel()
        guard received == options.messages else {
            throw AMQPError(.protocolError, "the benchmark consumer stopped after \(received) messages", remedy: "check the broker's log")
        }
        return Double(received) / seconds
    }
}

/// Runs blocking C code on a thread of its own, never on Swift's cooperative pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

extension Array where Element == Double {
    /// The middle value (mean of the two middle values for an even count).
    public var median: Double {
        guard !isEmpty else { return 0 }
        let sorted = self.sorted()
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
    }
}
