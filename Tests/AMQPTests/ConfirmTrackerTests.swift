import Testing

@testable import AMQP

@Suite struct ConfirmTrackerTests {
    @Test func sequenceNumbersStartAtOneAndGrowByOne() {
        var tracker = ConfirmTracker<String>()
        #expect(tracker.published("a") == 1)
        #expect(tracker.published("b") == 2)
        #expect(tracker.outstanding == 2)
    }

    @Test func aMultipleAckConfirmsEverythingUpToItsTag() {
        var tracker = ConfirmTracker<Int>()
        for token in 1...5 { tracker.published(token) }
        let outcomes = tracker.acked(3, multiple: true)
        #expect(outcomes.map(\.0) == [1, 2, 3])
        #expect(outcomes.allSatisfy { $0.1 == .confirmed })
        #expect(tracker.outstanding == 2)
    }

    @Test func singleAcksMayArriveOutOfOrder() {
        var tracker = ConfirmTracker<Int>()
        for token in 1...3 { tracker.published(token) }
        #expect(tracker.acked(2, multiple: false).map(\.0) == [2])
        #expect(tracker.acked(3, multiple: true).map(\.0) == [1, 3])
        #expect(tracker.outstanding == 0)
    }

    @Test func aNackReportsNackedForItsRange() {
        var tracker = ConfirmTracker<Int>()
        for token in 1...3 { tracker.published(token) }
        let outcomes = tracker.nacked(2, multiple: true)
        #expect(outcomes.map(\.0) == [1, 2])
        #expect(outcomes.allSatisfy { $0.1 == .nacked })
    }

    @Test func aReturnMarksTheMessageWhoseConfirmFollows() {
        var tracker = ConfirmTracker<Int>()
        for token in 1...2 { tracker.published(token) }
        tracker.returned(code: 312, text: "NO_ROUTE")
        let outcomes = tracker.acked(2, multiple: false)
        #expect(outcomes.count == 1)
        #expect(outcomes[0].1 == .returned(replyCode: 312, replyText: "NO_ROUTE"))
        #expect(tracker.acked(1, multiple: false)[0].1 == .confirmed)
    }

    @Test func losingTheChannelFailsEveryOutstandingPublishAndRestartsAtOne() {
        var tracker = ConfirmTracker<Int>()
        for token in 1...4 { tracker.published(token) }
        _ = tracker.acked(1, multiple: false)
        let lost = AMQPError(.connectionLost, "gone", remedy: "retry")
        let outcomes = tracker.failAll(lost)
        #expect(outcomes.map(\.0) == [2, 3, 4])
        #expect(outcomes.allSatisfy { $0.1 == .failed(lost) })
        #expect(tracker.outstanding == 0)
        #expect(tracker.published(9) == 1)
    }

    @Test func confirmsForUnknownTagsAreIgnored() {
        var tracker = ConfirmTracker<Int>()
        tracker.published(1)
        #expect(tracker.acked(7, multiple: false).isEmpty)
        #expect(tracker.outstanding == 1)
    }

    @Test func manyConfirmsKeepTheTrackerSmall() {
        var tracker = ConfirmTracker<Int>()
        for round in 0..<10 {
            for token in 0..<1000 { tracker.published(round * 1000 + token) }
            #expect(tracker.acked(tracker.nextSequence - 1, multiple: true).count == 1000)
        }
        #expect(tracker.outstanding == 0)
        #expect(tracker.nextSequence == 10_001)
    }
}
