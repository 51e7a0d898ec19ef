/// The broker layout of DESIGN.md: where events, due contacts and gateway outcomes flow,
/// with retry tiers and one dead-letter queue for operators.
public enum ReassureTopology {
    /// Case events from the producer, routed by event type (`case.reported`, …).
    public static let eventsExchange = "reassure.events"
    /// Gateway receipts and inbound replies, routed by kind (`receipt`, `reply`).
    public static let outcomesExchange = "reassure.outcomes"
    /// Where poison and expired-past-limit messages go, keeping their routing key.
    public static let deadLetterExchange = "reassure.dlx"
    public static let deadLetterQueue = "reassure.dead"

    public static let schedulerQueue = "reassure.scheduler"
    public static let dispatchQueue = "reassure.dispatch"
    public static let outcomesQueue = "reassure.outcomes"

    /// Delays of the retry tiers, shortest first; each is its own queue because a TTL only
    /// expires at the head of a queue.
    public static let retryDelays: [(suffix: String, delay: Duration)] = [
        ("10s", .seconds(10)), ("1m", .seconds(60)), ("10m", .seconds(600)),
    ]

    /// Deliveries before the broker dead-letters a message on its own: the backstop for a
    /// message that crashes its worker. Every worker crash redelivers all it had prefetched, so
    /// this is generous enough that a run of crashes does not dead-letter healthy messages.
    public static let deliveryLimit = 25

    /// The name of `workQueue`'s retry tier with the given suffix, e.g. `reassure.dispatch.retry.10s`.
    public static func retryQueue(for workQueue: String, suffix: String) -> String {
        "\(workQueue).retry.\(suffix)"
    }

    /// Declares `workQueue` as a quorum queue with a delivery limit and dead-letter queue, plus its
    /// retry tiers: queues with a message TTL that dead-letter back into `workQueue`.
    public static func workQueue(_ workQueue: String, deliveryLimit: Int = deliveryLimit,
                                 deadLetterExchange: String = deadLetterExchange,
                                 retryDelays: [(suffix: String, delay: Duration)] = retryDelays) -> Topology {
        var queues = [Topology.Queue.quorum(workQueue, deliveryLimit: deliveryLimit, deadLetterExchange: deadLetterExchange)]
        for tier in retryDelays {
            queues.append(.quorum(
                retryQueue(for: workQueue, suffix: tier.suffix), deliveryLimit: deliveryLimit,
                deadLetterExchange: "", messageTTL: tier.delay, deadLetterRoutingKey: workQueue))
        }
        return Topology(queues: queues)
    }

    /// Everything Reassure needs on the broker.
    public static var standard: Topology {
        var topology = Topology(
            exchanges: [
                .init(eventsExchange, kind: .topic), .init(outcomesExchange, kind: .topic),
                .init(deadLetterExchange, kind: .topic),
            ],
            queues: [.init(deadLetterQueue, arguments: ["x-queue-type": .string("quorum")])],
            bindings: [
                .init(queue: deadLetterQueue, exchange: deadLetterExchange, routingKey: "#"),
                .init(queue: schedulerQueue, exchange: eventsExchange, routingKey: "#"),
                .init(queue: outcomesQueue, exchange: outcomesExchange, routingKey: "#"),
            ])
        for queue in [schedulerQueue, dispatchQueue, outcomesQueue] {
            topology = topology.merged(with: workQueue(queue))
        }
        // Bindings refer to queues declared above; declare queues before bindings.
        return topology
    }
}
