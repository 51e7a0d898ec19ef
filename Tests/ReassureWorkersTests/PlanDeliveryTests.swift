import Foundation
import ReassureCore
import ReassureGateways
import ReassureStore
import ReassureWorkers
import Testing

@Suite(.serialized, .timeLimit(.minutes(3))) struct PlanDeliveryTests {
    @Test func aCasesWholePlanIsSentInTheVictimsLanguageAtTheScaledTimes() async throws {
        // 1 real second = 1 day: the standard test schedule (0h, 1d, 3d) runs in about 3 s.
        let harness = try await WorkerHarness.make(["REASSURE_CLOCK_SCALE": "86400"])
        let workers = try await harness.startWorkers()
        let reference = "CAS 101/11/2026"
        try await harness.publish([reportedEvent(reference: reference, languages: ["so", "en"])])

        var caseID: UUID?
        try await eventually("the case is stored") {
            caseID = try await harness.store.caseID(unit: "pretoria-central-vsu", reference: reference)
            return caseID != nil
        }
        try await eventually("all three contacts are delivered", timeout: .seconds(60)) {
            let history = try await harness.store.contactHistory(caseID: caseID!)
            return history.count == 3 && history.allSatisfy { $0.state == .delivered }
        }
        let history = try await harness.store.contactHistory(caseID: caseID!)
        #expect(history.map(\.stage) == ["acknowledgement", "check_in", "check_in"])
        for contact in history {
            #expect(contact.language == "so")
            #expect(contact.channel == "sms")
            #expect(contact.attempts == 1)
            let sentAt = try #require(contact.sentAt)
            #expect(sentAt >= contact.dueAt, "\(contact.label) went before it was due")
            // Late by at most a few real seconds (scaled days) even on a loaded machine.
            #expect(sentAt.timeIntervalSince(contact.dueAt) < 10 * 86400, "\(contact.label) went \(sentAt.timeIntervalSince(contact.dueAt) / 86400) scaled days late")
        }
        // They followed the schedule rather than going all at once: the day-3 check-in left at
        // least two scaled days after the acknowledgement.
        let times = history.compactMap(\.sentAt)
        #expect(times == times.sorted())
        #expect(times[2].timeIntervalSince(times[0]) >= 2 * 86400)
        let sent = try harness.sent()
        #expect(sent.count == 3, "each contact reached the gateway once")
        #expect(sent.allSatisfy { $0.language == "so" && $0.to == "+27825550101" && $0.channel == "sms" })
        #expect(sent.allSatisfy { $0.body.contains(reference) }, "every message quotes the case reference")
        try await workers.stop()
        try await harness.close()
    }

    @Test func closingACaseCancelsPendingContactsAndSendsTheClosingMessage() async throws {
        let harness = try await WorkerHarness.make(["REASSURE_CLOCK_SCALE": "1"])
        let workers = try await harness.startWorkers()
        let reference = "CAS 102/11/2026"
        try await harness.publish([reportedEvent(reference: reference, languages: ["pt-MZ"])])
        var caseID: UUID?
        try await eventually("the acknowledgement is delivered") {
            caseID = try await harness.store.caseID(unit: "pretoria-central-vsu", reference: reference)
            guard let caseID else { return false }
            return try await harness.store.contactHistory(caseID: caseID).contains { $0.stage == "acknowledgement" && $0.state == .delivered }
        }
        try await harness.publish([event("case.closed", reference: reference, extra: ["outcome": ["code": "charged"]])])
        try await eventually("the closing message is delivered") {
            try await harness.store.contactHistory(caseID: caseID!).contains { $0.stage == "closing" && $0.state == .delivered }
        }
        let history = try await harness.store.contactHistory(caseID: caseID!)
        #expect(history.filter { $0.stage == "check_in" }.allSatisfy { $0.state == .cancelled }, "the check-ins were cancelled")
        #expect(history.filter { $0.stage == "check_in" }.count == 2)
        #expect(try harness.sent().map(\.language) == ["pt", "pt"], "acknowledgement and closing, in the catalog's Portuguese (pt) for pt-MZ")
        try await workers.stop()
        try await harness.close()
    }

    @Test func anUnsafeVictimAndAnUnknownLanguageVictimGetNoMessageAndATaskEach() async throws {
        let harness = try await WorkerHarness.make()
        let workers = try await harness.startWorkers()
        try await harness.publish([
            reportedEvent(reference: "CAS 103/11/2026", safe: "no"),
            reportedEvent(reference: "CAS 104/11/2026", languages: ["tlh", "qya"]),
            reportedEvent(reference: "CAS 105/11/2026", languages: ["am"]),
        ])
        try await eventually("the Amharic victim's acknowledgement is delivered") {
            try harness.sent().contains { $0.language == "am" }
        }
        let tasks = try await harness.store.openTasks()
        let unsafe = try #require(try await harness.store.caseID(unit: "pretoria-central-vsu", reference: "CAS 103/11/2026"))
        let unknown = try #require(try await harness.store.caseID(unit: "pretoria-central-vsu", reference: "CAS 104/11/2026"))
        #expect(tasks.filter { $0.caseID == unsafe }.map(\.kind) == ["unsafe_contact"])
        #expect(tasks.filter { $0.caseID == unknown }.map(\.kind) == ["interpreter_needed"])
        #expect(try await harness.store.contactHistory(caseID: unsafe).isEmpty)
        #expect(try await harness.store.contactHistory(caseID: unknown).isEmpty)
        #expect(try harness.sent().count == 1, "only the Amharic victim got a message")
        try await workers.stop()
        try await harness.close()
    }

    @Test func aDiscreetVictimHearsFromANeutralSenderInNeutralWordsAndAnUpdateKeepsTheFlag() async throws {
        let harness = try await WorkerHarness.make()
        let workers = try await harness.startWorkers()
        // Somali has no neutral wording yet, so the discreet victim is written to in English.
        try await harness.publish([
            reportedEvent(reference: "CAS 106/11/2026", languages: ["so", "en"], phone: "+27825550106", discreet: true),
            reportedEvent(reference: "CAS 107/11/2026", languages: ["so", "en"], phone: "+27825550107"),
        ])
        try await eventually("both acknowledgements are sent") { try harness.sent().count == 2 }
        let sent = try harness.sent()
        let discreet = try #require(sent.first { $0.to.hasSuffix("06") })
        let ordinary = try #require(sent.first { $0.to.hasSuffix("07") })
        #expect(discreet.language == "en" && ordinary.language == "so")
        #expect(discreet.sender == SenderDirectory.builtIn.default.discreet.smsSenderID)
        #expect(ordinary.sender == SenderDirectory.builtIn.default.standard.smsSenderID)
        #expect(!discreet.body.contains("106/11/2026"), "no case reference")
        #expect(NeutralWording.problems(in: discreet.body).isEmpty, "no police, no crime: \(NeutralWording.problems(in: discreet.body))")
        #expect(discreet.body.hasPrefix("Wellbeing Team:"))
        #expect(ordinary.body.contains("CAS 107/11/2026"))

        // A victim.updated that does not mention the flag must not lift it.
        let caseID = try #require(try await harness.store.caseID(unit: "pretoria-central-vsu", reference: "CAS 106/11/2026"))
        var updated = event("victim.updated", reference: "CAS 106/11/2026")
        var victim = reportedEvent(reference: "CAS 106/11/2026", languages: ["pt"], phone: "+27825550106")["victim"] as! [String: Any]
        victim.removeValue(forKey: "discreet_contact")
        updated["victim"] = victim
        try await harness.publish([updated])
        try await eventually("the update is stored") { try await harness.store.snapshot(caseID: caseID)?.languages == ["pt"] }
        #expect(try await harness.store.snapshot(caseID: caseID)?.discreetContact == true)
        let pending = try await harness.store.contactHistory(caseID: caseID).filter { $0.state == .scheduled }
        #expect(!pending.isEmpty && pending.allSatisfy { $0.language == "pt" }, "re-planned in Portuguese, which has neutral wording")
        try await workers.stop()
        try await harness.close()
    }
}
