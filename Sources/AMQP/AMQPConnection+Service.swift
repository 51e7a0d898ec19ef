import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension AMQPConnection {
    /// Most frames read in one go before queued jobs (publishes, acks) get their turn.
    static let frameBudget = 4096
    /// Longest wait on the socket: heartbeats are only sent from inside library calls.
    static let pollMilliseconds: Int32 = 250

    /// Runs on the connection thread whenever no job is queued: sends pending settlements, waits
    /// for the socket or a wake-up, and handles whatever frames arrived.
    func service() {
        guard let connection else {
            var descriptor = pollfd(fd: thread.wakeDescriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 1000)
            return
        }
        flushSettlements()
        guard self.connection != nil else { return }
        if !connection.hasBufferedInput {
            var descriptors = [
                pollfd(fd: connection.socketDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: thread.wakeDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&descriptors, 2, Self.pollMilliseconds)
        }
        var lost: AMQPError?
        do {
            var budget = Self.frameBudget
            while budget > 0, lost == nil, try connection.readFrame({ lost = handle($0, on: connection) }) {
                budget -= 1
            }
            connection.releaseBuffers()
        } catch let error as AMQPError {
            lost = error
        } catch {
            lost = AMQPError(.protocolError, "\(error)", remedy: "check the broker's log")
        }
        if let lost { lose(lost) }
    }

    /// Applies one frame; returns an error when the connection is finished.
    private func handle(_ frame: IncomingFrame, on connection: CConnection) -> AMQPError? {
        switch frame {
        case .ack(Self.publishChannel, let tag, let multiple):
            resolve(tracker.acked(tag, multiple: multiple))
        case .nack(Self.publishChannel, let tag, let multiple):
            resolve(tracker.nacked(tag, multiple: multiple))
        case .returned(Self.publishChannel, let code, let text):
            tracker.returned(code: code, text: text)
            returnAssembler.start(.init(deliveryTag: 0, redelivered: false, exchange: "", routingKey: "", discard: true))
        case .deliver(let channel, let tag, let redelivered, let exchange, let routingKey):
            consumers[channel]?.assembler.start(.init(deliveryTag: tag, redelivered: redelivered, exchange: exchange,
                                                      routingKey: routingKey, discard: false))
        case .header(Self.publishChannel, let size, let properties):
            _ = returnAssembler.header(bodySize: size, properties: properties)
        case .body(Self.publishChannel, let bytes):
            _ = returnAssembler.body(bytes)
        case .header(let channel, let size, let properties):
            if let message = consumers[channel]?.assembler.header(bodySize: size, properties: properties) {
                deliver(message, on: channel)
            }
        case .body(let channel, let bytes):
            if let message = consumers[channel]?.assembler.body(bytes) {
                deliver(message, on: channel)
            }
        case .cancelled(let channel):
            endConsumer(on: channel, error: AMQPError(
                .consumerCancelled, "the broker cancelled the consumer of queue '\(consumers[channel]?.queue ?? "?")'",
                remedy: "the queue was deleted or its node went away; restart the worker to declare it again",
                queue: consumers[channel]?.queue))
            connection.closeChannel(channel)
        case .channelClosed(let channel, let code, let text):
            connection.acknowledgeChannelClose(channel)
            let error = AMQPError.broker(code: code, text: text, channelLevel: true, while: .operation(queue: consumers[channel]?.queue))
            logger.error("the broker closed a channel", metadata: ["channel": "\(channel)", "error": "\(error)"])
            if channel == Self.publishChannel {
                publishChannelReady = false
                resolve(tracker.failAll(error))
                resumeWaiters()
            } else if channel == Self.controlChannel {
                try? connection.openChannel(Self.controlChannel)
            } else {
                endConsumer(on: channel, error: error)
            }
        case .connectionClosed(let code, let text):
            connection.acknowledgeConnectionClose()
            return AMQPError.broker(code: code, text: text, channelLevel: false, while: .operation(queue: nil))
        case .blocked(let reason):
            blocked = true
            logger.warning("the broker blocked publishing; publishers wait", metadata: ["reason": "\(reason)"])
        case .unblocked:
            blocked = false
            logger.info("the broker unblocked publishing")
            resumeWaiters()
        default:
            break
        }
        return nil
    }

    /// The connection is dead: fail what cannot complete, keep consumers registered, reconnect.
    func lose(_ error: AMQPError) {
        guard let dead = connection else { return }
        connection = nil
        dead.destroy()
        publishChannelReady = false
        blocked = false
        resolve(tracker.failAll(error))
        for channel in consumers.keys { consumers[channel]!.resetForNewChannel() }
        resumeWaiters()
        guard !closing else { return }
        logger.warning("lost the RabbitMQ connection; reconnecting", metadata: ["error": "\(error)"])
        if reconnecting == nil {
            reconnecting = Task { await self.reconnect() }
        }
    }

    /// Tries again and again, with growing jittered delays, until connected or closed.
    private func reconnect() async {
        var attempt = 0
        while !closing {
            try? await Task.sleep(for: configuration.reconnectBackoff.delay(forAttempt: attempt))
            guard !closing else { break }
            do {
                try establish()
                logger.info("reconnected to RabbitMQ", metadata: ["attempts": "\(attempt + 1)"])
                break
            } catch {
                attempt += 1
                logger.warning("reconnect failed", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                resumeWaiters()
            }
        }
        reconnecting = nil
    }
}
