import AMQP
import Foundation
import ReassureGateways
import ReassureStore
import ReassureWorkers
import Testing

@Suite(.serialized, .timeLimit(.minutes(3))) struct FailureAndReplyTests {
    func caseID(_ harness: WorkerHarness, _ reference: String) async throws -> UUID {
        var id: UUID?
        try await eventually("case \(reference) is stored") {
            id = try await harness.store.caseID(unit: "pretoria-central-vsu", reference: reference)
            return id != nil
        }
        return id!
    }

    @Test func aGatewayOutageRecoversThroughTheRetryTiers() async throws {
        let harness = try await WorkerHarness.make()
        let workers = try await harness.startWorkers()
        let stub = try #require(workers.smsStub)
        await stub.setFailureRates(transient: 1)
        try await harness.publish([reportedEvent(reference: "CAS 201/11/2026")])
        let id = try await caseID(harness, "CAS 201/11/2026")
        try await eventually("the first try failed") { await stub.stats.transientFailures >= 1 }
        #expect(try harness.sent().isEmpty)
        await stub.setFailureRates(transient: 0)
        // The 10 s tier brings it back (8–10 s with jitter).
        try await eventually("the acknowledgement is delivered after the outage", timeout: .seconds(40)) {
            try await harness.store.contactHistory(caseID: id).first?.state == .delivered
        }
        let acknowledgement = try #require(try await harness.store.contactHistory(caseID: id).first)
        #expect(acknowledgement.attempts == 1, "a retry keeps the attempt and its idempotency key")
        #expect(try harness.sent().count == 1)
        try await workers.stop()
        try await harness.close()
    }

    @Test func aMessageWaitingForARetryIsNotSentAfterTheVictimOptsOut() async throws {
        let harness = try await WorkerHarness.make()
        let workers = try await harness.startWorkers()
        let stub = try #require(workers.smsStub)
        await stub.setFailureRates(transient: 1)
        try await harness.publish([reportedEvent(reference: "CAS 208/11/2026", phone: "+27825550108")])
        let id = try await caseID(harness, "CAS 208/11/2026")
        try await eventually("the acknowledgement failed once") { await stub.stats.transientFailures >= 1 }
        try await harness.reply(from: "+27825550108", text: "STOP")
        try await eventually("the opt-out is recorded") { try await harness.store.snapshot(caseID: id)?.optedOut == true }
        await stub.setFailureRates(transient: 0)
        try await eventually("the confirmation is delivered", timeout: .seconds(40)) {
            try await harness.store.contactHistory(caseID: id).contains { $0.stage == "opt_out_confirmation" && $0.state == .delivered }
        }
        try await eventually("the acknowledgement is given up", timeout: .seconds(40)) {
            try await harness.store.contactHistory(caseID: id).first { $0.stage == "acknowledgement" }?.state == .failed
        }
        #expect(try harness.sent().count == 1, "only the confirmation reached the victim")
        try await workers.stop()
        try await harness.close()
    }

    @Test func aPermanentFailureMovesToTheOtherChannelOrToAPerson() async throws {
        let harness = try await WorkerHarness.make()
        let workers = try await harness.startWorkers()
        await workers.smsStub?.setFailureRates(transient: 0, permanent: 1)
        try await harness.publish([
            reportedEvent(reference: "CAS 202/11/2026"),
            reportedEvent(reference: "CAS 203/11/2026", email: nil),
        ])
        let withEmail = try await caseID(harness, "CAS 202/11/2026")
        let smsOnly = try await caseID(harness, "CAS 203/11/2026")
        try await eventually("the acknowledgement went by email instead") {
            try await harness.store.contactHistory(caseID: withEmail).first?.state == .delivered
        }
        try await eventually("the SMS-only victim's acknowledgement failed to a person") {
            try await harness.store.contactHistory(caseID: smsOnly).first?.state == .failed
        }
        let delivered = try #require(try await harness.store.contactHistory(caseID: withEmail).first)
        #expect(delivered.channel == "email")
        #expect(delivered.attempts == 2)
        #expect(try harness.sent().map(\.channel) == ["email"])
        let tasks = try await harness.store.openTasks().filter { $0.caseID == smsOnly }
        #expect(tasks.map(\.kind) == ["delivery_failed"])
        try await workers.stop()
        try await harness.close()
    }

    @Test func aRateLimitedSendWaitsAndThenGoes() async throws {
        let harness = try await WorkerHarness.make()
        let workers = try await harness.startWorkers()
        let stub = try #require(workers.smsStub)
        await stub.setFailureRates(transient: 0, rateLimited: 1)
        let started = Date()
        try await harness.publish([reportedEvent(reference: "CAS 204/11/2026")])
        let id = try await caseID(harness, "CAS 204/11/2026")
        try await eventually("the provider said slow down") { await stub.stats.rateLimited >= 1 }
        await stub.setFailureRates(transient: 0)
        try await eventually("sent after waiting") { try await harness.store.contactHistory(caseID: id).first?.state == .delivered }
        let sentAt = try #require(try await harness.store.contactHistory(caseID: id).first?.sentAt)
        #expect(sentAt.timeIntervalSince(started) >= 1, "it waited the provider's Retry-After (1 s)")
        #expect(try harness.sent().count == 1)
        try await workers.stop()
        try await harness.close()
    }

    @Test func stopCancelsEverythingAndIsConfirmedOnce() async throws {
        let harness = try await WorkerHarness.make()
        let workers = try await harness.startWorkers()
        try await harness.publish([reportedEvent(reference: "CAS 205/11/2026", languages: ["so"], phone: "+27825550105")])
        let id = try await caseID(harness, "CAS 205/11/2026")
        try await eventually("the acknowledgement is delivered") { try await harness.store.contactHistory(caseID: id).first?.state == .delivered }
        try await harness.reply(from: "+27825550105", text: "JOOJI", id: "in-1")  // Somali STOP
        try await harness.reply(from: "+27825550105", text: "STOP", id: "in-2")   // a second STOP
        try await harness.reply(from: "+27825550105", text: "JOOJI", id: "in-1")  // the first, redelivered
        try await eventually("the opt-out confirmation is delivered") {
            try await harness.store.contactHistory(caseID: id).contains { $0.stage == "opt_out_confirmation" && $0.state == .delivered }
        }
        try await eventually("all three replies are recorded") {
            (try await harness.store.replies(victimID: try #require(await victimID(harness, id)), actor: "test", reason: "assert")).count >= 2
        }
        let history = try await harness.store.contactHistory(caseID: id)
        #expect(history.filter { $0.stage == "check_in" }.allSatisfy { $0.state == .cancelled })
        #expect(history.filter { $0.stage == "opt_out_confirmation" }.count == 1, "confirmed once")
        #expect(try harness.sent().filter { $0.body.contains("CAS 205/11/2026") }.count == 2, "acknowledgement and one confirmation")
        try await workers.stop()
        try await harness.close()
    }

    @Test func callMakesACallbackTaskWithTheInterpreterLanguage() async throws {
        let harness = try await WorkerHarness.make()
        let workers = try await harness.startWorkers()
        try await harness.publish([reportedEvent(reference: "CAS 206/11/2026", languages: ["am", "en"], phone: "+27825550106")])
        let id = try await caseID(harness, "CAS 206/11/2026")
        try await eventually("the acknowledgement is delivered") { try await harness.store.contactHistory(caseID: id).first?.state == .delivered }
        try await harness.reply(from: "+27825550106", text: "1")
        try await harness.reply(from: "+27825550106", text: "Who is this?")
        try await eventually("a callback task and an unread-reply task exist") {
            let kinds = try await harness.store.openTasks().filter { $0.caseID == id }.map(\.kind)
            return kinds.contains("callback") && kinds.contains("unread_reply")
        }
        let callback = try #require(try await harness.store.openTasks().first { $0.caseID == id && $0.kind == "callback" })
        #expect(callback.language == "am", "the interpreter's language")
        try await workers.stop()
        try await harness.close()
    }

    @Test func aPoisonMessageIsDeadLetteredWithItsReasonWithoutBlockingTheOthers() async throws {
        let harness = try await WorkerHarness.make()
        let workers = try await harness.startWorkers()
        await harness.publishRaw(Array("{not json".utf8), exchange: ReassureTopology.eventsExchange, routingKey: "case.reported")
        await harness.publishRaw(Array(#"{"id":"x","type":"case.reported"}"#.utf8), exchange: ReassureTopology.eventsExchange, routingKey: "case.reported")
        try await harness.publish([reportedEvent(reference: "CAS 207/11/2026")])
        let id = try await caseID(harness, "CAS 207/11/2026")
        try await eventually("the good event's acknowledgement is delivered") { try await harness.store.contactHistory(caseID: id).first?.state == .delivered }
        let dead = try await harness.broker.consume(queue: ReassureTopology.deadLetterQueue, prefetch: 10)
        var reasons: [String] = []
        for try await delivery in dead.deliveries {
            reasons.append(delivery.deathReason ?? "")
            _ = dead.ack(delivery)
            if reasons.count == 2 { break }
        }
        await dead.cancel()
        #expect(reasons.contains("malformed JSON"))
        #expect(reasons.contains { $0.hasPrefix("invalid event:") })
        try await workers.stop()
        try await harness.close()
    }

    func victimID(_ harness: WorkerHarness, _ caseID: UUID) async -> UUID? {
        try? await harness.store.snapshot(caseID: caseID)?.victimID
    }
}
