extension AMQPConnection {
    /// Subscribes to `queue` with manual acks, at most `prefetch` unsettled deliveries at a time.
    /// After a reconnect the subscription resumes by itself on a new channel.
    public func consume(queue: String, prefetch: UInt16) throws -> AMQPConsumer {
        guard let connection else { throw Self.notConnected }
        var channel: UInt16 = 3
        while consumers[channel] != nil { channel += 1 }
        let tag: String
        do {
            try connection.openChannel(channel)
            try connection.setPrefetch(channel, count: prefetch)
            tag = try connection.consume(channel, queue: queue)
        } catch let error as AMQPError {
            if error.code != .connectionLost && error.code != .timeout { connection.acknowledgeChannelClose(channel) }
            throw error
        }
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Delivery.self)
        let settlements = SettlementBuffer()
        nextConsumerID += 1
        let id = nextConsumerID
        consumers[channel] = ConsumerRegistration(
            id: id, queue: queue, prefetch: prefetch, consumerTag: tag, continuation: continuation, settlements: settlements)
        let consumer = AMQPConsumer(id: id, queue: queue, channel: channel, deliveries: stream, settlements: settlements,
                                    connection: self)
        continuation.onTermination = { [weak self, channel] _ in
            guard let self else { return }
            Task { await self.stopConsumer(on: channel, id: id) }
        }
        logger.debug("consuming", metadata: ["queue": "\(queue)", "prefetch": "\(prefetch)"])
        return consumer
    }

    /// `id` tells this subscription from a later one that reuses the channel number.
    func stopConsumer(on channel: UInt16, id: UInt64) {
        guard let registration = consumers[channel], registration.id == id else { return }
        if let connection {
            flushSettlements()
            do {
                try connection.cancel(channel, consumerTag: registration.consumerTag)
                connection.closeChannel(channel)
            } catch let error as AMQPError {
                logger.warning("cancelling a consumer failed", metadata: ["queue": "\(registration.queue)", "error": "\(error)"])
            } catch {}
        }
        consumers[channel] = nil
        registration.continuation.finish()
    }

    func endConsumer(on channel: UInt16, error: AMQPError) {
        guard let registration = consumers.removeValue(forKey: channel) else { return }
        logger.error("consumer ended by the broker", metadata: ["queue": "\(registration.queue)", "error": "\(error)"])
        registration.continuation.finish(throwing: error)
    }

    func deliver(_ message: (ContentAssembler.Started, MessageProperties, [UInt8]), on channel: UInt16) {
        guard let registration = consumers[channel] else { return }
        let (method, properties, body) = message
        registration.continuation.yield(Delivery(
            body: body, properties: properties, exchange: method.exchange, routingKey: method.routingKey,
            redelivered: method.redelivered, deliveryTag: method.deliveryTag, generation: generation))
    }

    /// Sends what consumers settled since the last call, dropping settlements of an earlier
    /// connection.
    func flushSettlements() {
        guard let connection else { return }
        let current = generation
        for channel in consumers.keys {
            let pending = consumers[channel]!.settlements.take()
            guard !pending.isEmpty else { continue }
            let valid = pending.filter { $0.generation == current }
            if valid.count < pending.count {
                logger.debug("dropped settlements of an earlier connection", metadata: ["count": "\(pending.count - valid.count)"])
            }
            let frames = consumers[channel]!.coalescer.frames(for: valid.map { ($0.tag, $0.settlement) })
            for frame in frames where connection.send(frame, channel: channel) != 0 {
                lose(AMQPError(.connectionLost, "sending an acknowledgement failed", remedy: "it reconnects by itself"))
                return
            }
        }
    }
}
