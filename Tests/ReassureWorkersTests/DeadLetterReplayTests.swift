import AMQP
import Foundation
import ReassureStore
import ReassureWorkers
import Testing

@Suite(.serialized, .timeLimit(.minutes(2))) struct DeadLetterReplayTests {
    @Test func aDeadLetterIsListedWithItsReasonAndReplayedOnceTheCauseIsFixed() async throws {
        let harness = try await WorkerHarness.make()
        let workers = try await harness.startWorkers()
        // A reply from a number no victim has (yet): nobody to give it to.
        try await harness.reply(from: "+27825550999", text: "CALL", id: "early-reply")
        let dlq = DeadLetterQueue(connection: harness.broker)
        var letters: [DeadLetterQueue.Letter] = []
        try await eventually("the reply is dead-lettered") {
            letters = try await dlq.list(limit: 10)
            return !letters.isEmpty
        }
        #expect(letters.count == 1)
        #expect(letters.first?.reason == "reply from an address no victim has")
        #expect(letters.first?.queue == ReassureTopology.outcomesQueue)
        #expect(try await dlq.list(limit: 10).count == 1, "listing leaves them in the queue")

        // The case arrives; the operator replays the reply.
        try await harness.publish([reportedEvent(reference: "CAS 301/11/2026", phone: "+27825550999")])
        var caseID: UUID?
        try await eventually("the case is stored") {
            caseID = try await harness.store.caseID(unit: "pretoria-central-vsu", reference: "CAS 301/11/2026")
            return caseID != nil
        }
        #expect(try await dlq.replay(messageID: "nope", limit: 10) == 0)
        #expect(try await dlq.replay(limit: 10) == 1)
        try await eventually("the replayed CALL made a callback task") {
            try await harness.store.openTasks().contains { $0.caseID == caseID && $0.kind == "callback" }
        }
        let left = try await dlq.list(limit: 10)
        #expect(left.isEmpty, "left in the dead-letter queue: \(left)")
        try await workers.stop()
        try await harness.close()
    }
}
