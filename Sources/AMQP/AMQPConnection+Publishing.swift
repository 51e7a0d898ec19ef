import CRabbitMQ

struct PublishToken {
    let batch: Int
    let index: Int
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
        guard !messages.isEmpty else { return [] }
        let id = nextBatchID
        nextBatchID += 1
        batches[id] = PublishBatch(outcomes: Array(repeating: nil, count: messages.count), remaining: messages.count)
        for (index, message) in messages.enumerated() {
            if let failure = await waitUntilPublishable() {
                record(.failed(failure), for: PublishToken(batch: id, index: index))
                continue
            }
            guard let connection else { continue }
            let status = connection.publish(Self.publishChannel, message)
            if status == AMQP_STATUS_OK.rawValue {
                tracker.published(PublishToken(batch: id, index: index))
            } else {
                let error = AMQPError.library(status, while: .operation(queue: nil))
                record(.failed(error), for: PublishToken(batch: id, index: index))
                lose(error)
            }
        }
        if batches[id]!.remaining > 0 {
            await withCheckedContinuation { batches[id]!.continuation = $0 }
        }
        return batches.removeValue(forKey: id)!.outcomes.map { $0 ?? .failed(Self.closedError) }
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
