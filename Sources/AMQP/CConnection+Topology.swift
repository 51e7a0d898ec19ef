import CRabbitMQ

extension CConnection {
    /// Declares everything in `topology` on `channel`: exchanges, then queues, then bindings.
    /// Redeclaring with equal arguments is a no-op; a difference throws `.preconditionFailed`
    /// naming the queue and the argument (the broker then closes the channel).
    func declare(_ topology: Topology, on channel: UInt16) throws {
        defer { scratch.reset() }
        for exchange in topology.exchanges {
            amqp_exchange_declare(state, channel, scratch.bytes(exchange.name), scratch.bytes(exchange.kind.rawValue),
                                  0, 1, 0, 0, amqp_empty_table)
            try rpcResult(.operation(queue: nil))
        }
        for queue in topology.queues {
            amqp_queue_declare(state, channel, scratch.bytes(queue.name), 0, 1, 0, 0, scratch.table(queue.arguments))
            try rpcResult(.operation(queue: queue.name))
        }
        for binding in topology.bindings {
            amqp_queue_bind(state, channel, scratch.bytes(binding.queue), scratch.bytes(binding.exchange),
                            scratch.bytes(binding.routingKey), amqp_empty_table)
            try rpcResult(.operation(queue: binding.queue))
        }
    }

    /// Messages ready and consumers of a queue (a passive declare: fails if it does not exist).
    func inspect(queue: String, on channel: UInt16) throws -> (messages: Int, consumers: Int) {
        defer { scratch.reset() }
        let ok = amqp_queue_declare(state, channel, scratch.bytes(queue), 1, 0, 0, 0, amqp_empty_table)
        try rpcResult(.operation(queue: queue))
        return (Int(ok?.pointee.message_count ?? 0), Int(ok?.pointee.consumer_count ?? 0))
    }

    /// Removes every ready message from a queue; returns how many.
    func purge(queue: String, on channel: UInt16) throws -> Int {
        defer { scratch.reset() }
        let ok = amqp_queue_purge(state, channel, scratch.bytes(queue))
        try rpcResult(.operation(queue: queue))
        return Int(ok?.pointee.message_count ?? 0)
    }

    func delete(queue: String, on channel: UInt16) throws {
        defer { scratch.reset() }
        amqp_queue_delete(state, channel, scratch.bytes(queue), 0, 0)
        try rpcResult(.operation(queue: queue))
    }

    func delete(exchange: String, on channel: UInt16) throws {
        defer { scratch.reset() }
        amqp_exchange_delete(state, channel, scratch.bytes(exchange), 0)
        try rpcResult(.operation(queue: nil))
    }
}
