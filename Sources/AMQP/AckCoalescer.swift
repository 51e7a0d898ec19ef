/// Turns a consumer's settlements into as few frames as possible without ever settling a
/// message the application has not settled.
///
/// Delivery tags on a channel are 1, 2, 3…; the broker accepts `basic.ack(multiple)` for
/// "everything up to N". The coalescer keeps the lowest tag not yet settled (`floor`) and acks
/// the run below it in one frame; settlements above a gap go out one by one. A multiple ack never
/// names a tag that was nacked or rejected (the broker would close the channel).
struct AckCoalescer {
    enum Frame: Equatable {
        case ack(tag: UInt64, multiple: Bool)
        case nack(tag: UInt64, requeue: Bool)
        case reject(tag: UInt64, requeue: Bool)
    }

    enum Settlement: Equatable {
        case ack
        case nack(requeue: Bool)
        case reject(requeue: Bool)
    }

    /// Lowest delivery tag not yet settled.
    private(set) var floor: UInt64 = 1
    /// Tags above `floor` already settled with their own frame.
    private var settledAbove: Set<UInt64> = []

    /// The frames to send for a batch of settlements.
    mutating func frames(for batch: [(tag: UInt64, settlement: Settlement)]) -> [Frame] {
        var frames: [Frame] = []
        var acks: Set<UInt64> = []
        for (tag, settlement) in batch where tag >= floor && !settledAbove.contains(tag) {
            switch settlement {
            case .ack: acks.insert(tag)
            case .nack(let requeue):
                frames.append(.nack(tag: tag, requeue: requeue))
                settledAbove.insert(tag)
            case .reject(let requeue):
                frames.append(.reject(tag: tag, requeue: requeue))
                settledAbove.insert(tag)
            }
        }
        // Advance the floor over settled tags; one ack up to the newest acked tag in that run
        // covers every ack in it (nacked or rejected tags are no longer the broker's to ack).
        var newestAck: UInt64?
        var acksInRun = 0
        while acks.contains(floor) || settledAbove.contains(floor) {
            if acks.remove(floor) != nil {
                newestAck = floor
                acksInRun += 1
            }
            settledAbove.remove(floor)
            floor += 1
        }
        if let newestAck {
            frames.append(.ack(tag: newestAck, multiple: acksInRun > 1))
        }
        for tag in acks.sorted() {
            frames.append(.ack(tag: tag, multiple: false))
            settledAbove.insert(tag)
        }
        return frames
    }
}
