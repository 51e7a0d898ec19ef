/// Publishes awaiting the broker's confirm on one channel, by sequence number.
///
/// Pure state: the connection feeds it the frames it reads and resolves whatever it returns.
/// Sequence numbers start at 1 per channel (after `confirm.select`) and grow by one per publish;
/// `basic.ack`/`basic.nack` may cover many at once (`multiple`). A `basic.return` arrives just
/// before the confirm of the message it returns, so it is kept until that confirm.
struct ConfirmTracker<Token> {
    private var slots: [Token?] = []
    private var head = 0
    /// Sequence number of `slots[head]`.
    private var base: UInt64 = 1
    private var pendingReturn: (code: Int, text: String)?
    private(set) var outstanding = 0

    /// Sequence number the next publish will get.
    var nextSequence: UInt64 { base + UInt64(slots.count - head) }

    /// Records a publish just sent; returns its sequence number.
    @discardableResult
    mutating func published(_ token: Token) -> UInt64 {
        let sequence = nextSequence
        slots.append(token)
        outstanding += 1
        return sequence
    }

    /// The broker returned a mandatory message; its confirm follows.
    mutating func returned(code: Int, text: String) {
        pendingReturn = (code, text)
    }

    mutating func acked(_ tag: UInt64, multiple: Bool) -> [(Token, PublishOutcome)] {
        let returned = pendingReturn
        pendingReturn = nil
        let outcome: PublishOutcome = returned.map { .returned(replyCode: $0.code, replyText: $0.text) } ?? .confirmed
        if multiple, returned != nil {
            // Only the newest message in the range can be the returned one.
            var results = resolve(upTo: tag - 1, multiple: true, as: .confirmed)
            results += resolve(upTo: tag, multiple: false, as: outcome)
            return results
        }
        return resolve(upTo: tag, multiple: multiple, as: outcome)
    }

    mutating func nacked(_ tag: UInt64, multiple: Bool) -> [(Token, PublishOutcome)] {
        pendingReturn = nil
        return resolve(upTo: tag, multiple: multiple, as: .nacked)
    }

    /// The channel or connection died: nothing outstanding will be confirmed. A new channel
    /// starts counting at 1 again.
    mutating func failAll(_ error: AMQPError) -> [(Token, PublishOutcome)] {
        let results = slots[head...].compactMap { $0.map { ($0, PublishOutcome.failed(error)) } }
        self = ConfirmTracker()
        return results
    }

    private mutating func resolve(upTo tag: UInt64, multiple: Bool, as outcome: PublishOutcome) -> [(Token, PublishOutcome)] {
        guard tag >= base, tag < nextSequence else { return [] }
        let last = head + Int(tag - base)
        let first = multiple ? head : last
        var results: [(Token, PublishOutcome)] = []
        for index in first...last {
            if let token = slots[index] {
                results.append((token, outcome))
                slots[index] = nil
                outstanding -= 1
            }
        }
        while head < slots.count, slots[head] == nil {
            head += 1
            base += 1
        }
        if head > 1024, head * 2 > slots.count {
            slots.removeFirst(head)
            head = 0
        }
        return results
    }
}
