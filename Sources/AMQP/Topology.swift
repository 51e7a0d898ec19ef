/// Exchanges, queues and bindings, declared idempotently on every (re)connect.
public struct Topology: Sendable, Equatable {
    public struct Exchange: Sendable, Equatable {
        public enum Kind: String, Sendable { case direct, topic, fanout, headers }
        public var name: String
        public var kind: Kind
        public init(_ name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    public struct Queue: Sendable, Equatable {
        public var name: String
        public var arguments: [String: FieldValue]
        public init(_ name: String, arguments: [String: FieldValue]) {
            self.name = name
            self.arguments = arguments
        }
    }

    public struct Binding: Sendable, Equatable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        public init(queue: String, exchange: String, routingKey: String) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
        }
    }

    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    /// Adds another topology's declarations after this one's.
    public func merged(with other: Topology) -> Topology {
        Topology(exchanges: exchanges + other.exchanges, queues: queues + other.queues,
                 bindings: bindings + other.bindings)
    }
}

extension Topology.Queue {
    /// A replicated quorum queue whose poison messages go to `deadLetterExchange` after
    /// `deliveryLimit` deliveries, dead-lettered at-least-once (which needs `reject-publish`).
    public static func quorum(_ name: String, deliveryLimit: Int, deadLetterExchange: String,
                              messageTTL: Duration? = nil, deadLetterRoutingKey: String? = nil) -> Self {
        var arguments: [String: FieldValue] = [
            "x-queue-type": .string("quorum"),
            "x-delivery-limit": .int(Int64(deliveryLimit)),
            "x-dead-letter-exchange": .string(deadLetterExchange),
            "x-dead-letter-strategy": .string("at-least-once"),
            "x-overflow": .string("reject-publish"),
        ]
        if let messageTTL {
            arguments["x-message-ttl"] = .int(messageTTL.components.seconds * 1000
                                              + messageTTL.components.attoseconds / 1_000_000_000_000_000)
        }
        if let deadLetterRoutingKey {
            arguments["x-dead-letter-routing-key"] = .string(deadLetterRoutingKey)
        }
        return Self(name, arguments: arguments)
    }
}
