import Synchronization

/// A subscription to one queue. Read `deliveries`; settle each one exactly once with `ack`,
/// `nack` or `reject` — after the work it stands for is durable.
///
/// Settling never waits: it is queued and sent by the connection thread, coalesced into as few
/// frames as possible. A delivery from before a reconnect is not settled on the new channel
/// (its tag means nothing there); the broker delivers it again, so handlers must be idempotent.
public final class AMQPConsumer: Sendable {
    public let queue: String
    public let deliveries: AsyncThrowingStream<Delivery, Error>
    let id: UInt64
    let channel: UInt16
    let settlements: SettlementBuffer
    let connection: AMQPConnection

    init(id: UInt64, queue: String, channel: UInt16, deliveries: AsyncThrowingStream<Delivery, Error>,
         settlements: SettlementBuffer, connection: AMQPConnection) {
        self.id = id
        self.queue = queue
        self.channel = channel
        self.deliveries = deliveries
        self.settlements = settlements
        self.connection = connection
    }

    /// Done with it: the broker forgets the message.
    @discardableResult
    public func ack(_ delivery: Delivery) -> Bool { settle(delivery, .ack) }

    /// Give it back: `requeue` puts it back in the queue; otherwise it is dead-lettered.
    @discardableResult
    public func nack(_ delivery: Delivery, requeue: Bool) -> Bool { settle(delivery, .nack(requeue: requeue)) }

    /// Refuse it: without `requeue` it goes to the dead-letter exchange.
    @discardableResult
    public func reject(_ delivery: Delivery, requeue: Bool) -> Bool { settle(delivery, .reject(requeue: requeue)) }

    /// Stops the subscription: settlements are sent, the consumer is cancelled and `cancel-ok`
    /// awaited before its channel closes; unsettled deliveries return to the queue.
    public func cancel() async {
        await connection.stopConsumer(on: channel, id: id)
    }

    /// False when the delivery is stale (it came from an earlier connection) and was not settled.
    private func settle(_ delivery: Delivery, _ settlement: AckCoalescer.Settlement) -> Bool {
        guard delivery.generation == connection.generation else { return false }
        settlements.add(.init(tag: delivery.deliveryTag, settlement: settlement, generation: delivery.generation))
        connection.thread.nudge()
        return true
    }
}

/// Settlements made by consumer tasks, waiting for the connection thread.
final class SettlementBuffer: Sendable {
    struct Pending {
        let tag: UInt64
        let settlement: AckCoalescer.Settlement
        let generation: UInt64
    }

    private let pending = Mutex<[Pending]>([])

    func add(_ settlement: Pending) {
        pending.withLock { $0.append(settlement) }
    }

    func take() -> [Pending] {
        pending.withLock { pending in
            guard !pending.isEmpty else { return [] }
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
    }
}

/// A consumer's state on the connection: kept across reconnects, reset per channel.
struct ConsumerRegistration {
    let id: UInt64
    let queue: String
    let prefetch: UInt16
    var consumerTag = ""
    var assembler = ContentAssembler()
    var coalescer = AckCoalescer()
    let continuation: AsyncThrowingStream<Delivery, Error>.Continuation
    let settlements: SettlementBuffer

    mutating func resetForNewChannel() {
        assembler.reset()
        coalescer = AckCoalescer()
        _ = settlements.take()
    }
}
