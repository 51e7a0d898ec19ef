import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ReassureServer
import ReassureStore
import Testing

@Suite struct ReadAPITests {
    /// A case with a victim, two planned contacts and a callback task, straight in the store.
    func seed(_ store: Store, reference: String) async throws -> UUID {
        let recording = try await store.recordCase(
            eventID: uniqueID("seed"),
            case: NewCase(reference: reference, unit: "pretoria-central-vsu", category: "business_robbery", priority: "enhanced",
                          openedAt: Date()),
            victim: NewVictim(ref: "V-1", givenName: "Amina", phone: "+27821234567", email: "amina@example.org", languages: ["so", "en"],
                              timezone: "Africa/Johannesburg", preferredChannel: "sms", safeToContact: "yes", consentStatus: "given"),
            contacts: [
                NewContact(stage: "acknowledgement", label: "on report", dueAt: Date(), language: "so", channel: "sms", templateVersion: "so-1",
                           segments: 2),
                NewContact(stage: "check_in", label: "day 7", dueAt: Date().addingTimeInterval(7 * 86_400), language: "so", channel: "sms",
                           templateVersion: "so-1", segments: 2),
            ],
            tasks: [NewTask(kind: "callback", reason: "the victim replied CALL", language: "so")])
        guard case .created(let caseID, _) = recording else { throw TestFailure("the seed case was not created") }
        return caseID
    }

    @Test func aCaseShowsItsPlanWithPersonalDataMaskedUnlessRevealedWhichIsAudited() async throws {
        let fixture = try await ServerFixture.make()
        let reference = "CAS \(Int.random(in: 100...999))/11/2026"
        _ = try await seed(fixture.store, reference: reference)
        let operatorToken = try await fixture.token("operator", name: "liaison-officer-7")
        let integrator = try await fixture.token("integrator")
        let path = "/v1/cases/" + reference.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!

        try await fixture.app.test(.router) { client in
            let masked = try await client.execute(uri: path, method: .get, headers: bearer(operatorToken))
            #expect(masked.status == .ok, "\(masked.text)")
            #expect(masked.object["reference"] as? String == reference)
            #expect((masked.object["contacts"] as? [[String: Any]])?.map { $0["stage"] as? String } == ["acknowledgement", "check_in"])
            let victim = try #require((masked.object["victims"] as? [[String: Any]])?.first)
            #expect(victim["phone"] as? String == "+27•••••••67")
            #expect(victim["email"] as? String == "a•••@example.org")
            #expect(victim["given_name"] as? String == "A•••")
            #expect(!masked.text.contains("+27821234567") && !masked.text.contains("Amina"))
            #expect(try await fixture.store.auditEntries().allSatisfy { $0.action != "read_personal_data" }, "a masked read is not audited")

            let revealed = try await client.execute(uri: path + "?reveal=true", method: .get, headers: bearer(operatorToken))
            #expect(revealed.status == .ok)
            let clear = try #require((revealed.object["victims"] as? [[String: Any]])?.first)
            #expect(clear["phone"] as? String == "+27821234567")
            let audit = try await fixture.store.auditEntries()
            #expect(audit.contains { $0.action == "read_personal_data" && $0.actor == "liaison-officer-7" })

            let unknown = try await client.execute(uri: "/v1/cases/no-such-case", method: .get, headers: bearer(operatorToken))
            #expect(unknown.status == .notFound)
            let wrongRole = try await client.execute(uri: path, method: .get, headers: bearer(integrator))
            #expect(wrongRole.status == .forbidden)
            let anonymous = try await client.execute(uri: path, method: .get)
            #expect(anonymous.status == .unauthorized)
        }
        #expect(!fixture.logs.text.contains("+27821234567"))
        await fixture.close()
    }

    @Test func openTasksAreListedAndCanBeMarkedDone() async throws {
        let fixture = try await ServerFixture.make()
        let reference = "CAS \(Int.random(in: 100...999))/12/2026"
        _ = try await seed(fixture.store, reference: reference)
        let admin = try await fixture.token("admin", name: "admin-1")
        try await fixture.app.test(.router) { client in
            let listed = try await client.execute(uri: "/v1/tasks", method: .get, headers: bearer(admin))
            #expect(listed.status == .ok)
            let tasks = listed.object["tasks"] as? [[String: Any]] ?? []
            let task = try #require(tasks.first { $0["case_reference"] as? String == reference })
            #expect(task["kind"] as? String == "callback")
            #expect(task["language"] as? String == "so")
            let id = try #require(task["id"] as? String)

            let done = try await client.execute(uri: "/v1/tasks/\(id)/done", method: .post, headers: bearer(admin))
            #expect(done.status == .ok)
            #expect(done.object["status"] as? String == "done")
            let again = try await client.execute(uri: "/v1/tasks/\(id)/done", method: .post, headers: bearer(admin))
            #expect(again.status == .notFound)
            let bad = try await client.execute(uri: "/v1/tasks/not-a-uuid/done", method: .post, headers: bearer(admin))
            #expect(bad.status == .badRequest)
            let after = try await client.execute(uri: "/v1/tasks", method: .get, headers: bearer(admin))
            #expect(!(after.object["tasks"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == id })
        }
        #expect(try await fixture.store.auditEntries().contains { $0.action == "complete_task" && $0.actor == "admin-1" })
        await fixture.close()
    }
}
