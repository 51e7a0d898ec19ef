import Testing

@testable import ReassureStore

@Suite struct ContactStateTests {
    @Test func theLifeOfAContactIsScheduledClaimedQueuedSendingSentDelivered() {
        let path: [ContactState] = [.scheduled, .claimed, .queued, .sending, .sent, .delivered]
        for (from, to) in zip(path, path.dropFirst()) { #expect(from.canMove(to: to)) }
    }

    @Test func finalStatesGoNowhere() {
        for state in [ContactState.delivered, .failed, .cancelled] {
            #expect(state.isFinal)
            #expect(ContactState.allCases.allSatisfy { !state.canMove(to: $0) })
        }
    }

    @Test func aDeliveredOrSentContactIsNeverCancelledOrRescheduled() {
        #expect(!ContactState.sent.canMove(to: .cancelled))
        #expect(!ContactState.sent.canMove(to: .scheduled))
        #expect(!ContactState.sending.canMove(to: .cancelled))
    }
}
