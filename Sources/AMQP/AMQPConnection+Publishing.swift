import CRabbitMQ

struct PublishToken {
    let batch: Int
    let index: Int
}

/// A batch `AMQPConnection.send` put on the wire, to collect with `outcomes(of:)`.
public struct SentBatch: Sendable {
    let id: Int
}

struct PublishBatch {
    var outcomes: [PublishOutcome?]
    var remaining: Int
    var continuation: CheckedContinuation<Void, Never>?
}

extension AMQPConnection {
    /// Publishes messages in order, keeping up to `confirmWindow` unconfirmed on the wire, and
    /// returns what the broker said about each one (same order).
    ///
    /// Waits while the broker blocks publishing and while disconnected (up to
    /// `reconnectWaitLimit`). Never drops silently: anything not `.confirmed` must be retried
    /// or reported by the caller.
    public func publish(_ messages: [OutgoingMessage]) async -> [PublishOutcome] {
        await outcomes(of: send(messages))
    }

    /// Puts messages on the wire in order, as `publish` does, and returns once the last one is
    /// sent (not confirmed): a caller can send its next batch, after these, while the broker
    /// confirms. Every batch sent must be collected with `outcomes(of:)`.
    public func send(_ messages: [OutgoingMessage]) async -> SentBatch {
        let id = nextBatchID
        nextBatchID += 1
        batches[id] = PublishBatch(outcomes: Array(repeating: nil, count: messages.count), remaining: messages.count)
        var index = 0
        while index < messages.count {
            if let failure = await waitUntilPublishable() {
                record(.failed(failure), for: PublishToken(batch: id, index: index))
                index += 1
                continue
            }
            guard let connection else {
                index += 1
                continue
            }
            // As many as the confirm window has room for, in one write.
            let end = min(messages.count, index + configuration.confirmWindow - tracker.outstanding)
            let status = connection.publish(Self.publishChannel, messages[index..<end])
            if status == AMQP_STATUS_OK.rawValue {
                for sent in index..<end { tracker.published(PublishToken(batch: id, index: sent)) }
            } else {
                // Some may have reached the broker: all count as failed, to be published again.
                let error = AMQPError.library(status, while: .operation(queue: nil))
                for failed in index..<end { record(.failed(error), for: PublishToken(batch: id, index: failed)) }
                lose(error)
            }
            index = end
        }
        return SentBatch(id: id)
    }

    /// What the broker said about each message of a sent batch (same order), once it said it.
    public func outcomes(of batch: SentBatch) async -> [PublishOutcome] {
        guard batches[batch.id] != nil else { return [] }
        if batches[batch.id]!.remaining > 0 {
            await withCheckedContinuation { batches[batch.id]!.continuation = $0 }
        }
        return batches.removeValue(forKey: batch.id)!.outcomes.map { $0 ?? .failed(Self.closedError) }
    }

    /// Publishes one message and waits for the broker's answer.
    public func publish(_ message: OutgoingMessage) async -> PublishOutcome {
        await publish([message])[0]
    }

    /// Returns `nil` when a publish may go out now, or why it cannot.
    private func waitUntilPublishable() async -> AMQPError? {
        let deadline = ContinuousClock.now.advanced(by: configuration.reconnectWaitLimit)
        while true {
            if closing { return Self.closedError }
            if let connection {
                if !publishChannelReady {
                    do {
                        try connection.openChannel(Self.publishChannel)
                        try connection.selectConfirms(Self.publishChannel)
                        tracker = ConfirmTracker()
                        publishChannelReady = true
                    } catch let error as AMQPError {
                        lose(error)
                        continue
                    } catch {
                        return AMQPError(.protocolError, "\(error)", remedy: "check the broker's log")
                    }
                }
                if !blocked && tracker.outstanding < configuration.confirmWindow { return nil }
            } else if ContinuousClock.now >= deadline {
                return AMQPError(.connectionLost, "the broker stayed unreachable for \(configuration.reconnectWaitLimit)",
                                 remedy: "publish again later; check the broker")
            }
            await waitForChange()
        }
    }

    func resolve(_ outcomes: [(PublishToken, PublishOutcome)]) {
        guard !outcomes.isEmpty else { return }
        for (token, outcome) in outcomes { record(outcome, for: token) }
        if tracker.outstanding < configuration.confirmWindow { resumeWaiters() }
    }

    private func record(_ outcome: PublishOutcome, for token: PublishToken) {
        guard batches[token.batch] != nil else { return }
        batches[token.batch]!.outcomes[token.index] = outcome
        batches[token.batch]!.remaining -= 1
        if batches[token.batch]!.remaining == 0, let continuation = batches[token.batch]!.continuation {
            batches[token.batch]!.continuation = nil
            continuation.resume()
        }
    }
}
