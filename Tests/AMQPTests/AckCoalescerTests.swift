import Testing

@testable import AMQP

@Suite struct AckCoalescerTests {
    @Test func consecutiveAcksBecomeOneMultipleAck() {
        var coalescer = AckCoalescer()
        let frames = coalescer.frames(for: [(1, .ack), (2, .ack), (3, .ack)])
        #expect(frames == [.ack(tag: 3, multiple: true)])
        #expect(coalescer.floor == 4)
    }

    @Test func aGapIsNeverCoveredByAMultipleAck() {
        var coalescer = AckCoalescer()
        let frames = coalescer.frames(for: [(1, .ack), (3, .ack)])
        #expect(frames == [.ack(tag: 1, multiple: false), .ack(tag: 3, multiple: false)])
        // Tag 2 settles later: the floor moves past 3 without acking 3 again.
        #expect(coalescer.frames(for: [(2, .ack)]) == [.ack(tag: 2, multiple: false)])
        #expect(coalescer.floor == 4)
    }

    @Test func nacksAndRejectsGoOutAsTheyAre() {
        var coalescer = AckCoalescer()
        let frames = coalescer.frames(for: [(1, .nack(requeue: true)), (2, .reject(requeue: false)), (3, .ack)])
        #expect(frames == [.nack(tag: 1, requeue: true), .reject(tag: 2, requeue: false), .ack(tag: 3, multiple: false)])
    }

    @Test func aRejectedTagIsNeverAckedAfterwards() {
        var coalescer = AckCoalescer()
        #expect(coalescer.frames(for: [(1, .reject(requeue: true))]) == [.reject(tag: 1, requeue: true)])
        #expect(coalescer.frames(for: [(2, .ack), (3, .ack)]) == [.ack(tag: 3, multiple: true)])
        #expect(coalescer.floor == 4)
    }

    @Test func settlingTheSameTagTwiceSendsNothingTheSecondTime() {
        var coalescer = AckCoalescer()
        _ = coalescer.frames(for: [(1, .ack)])
        #expect(coalescer.frames(for: [(1, .ack)]).isEmpty)
    }
}
