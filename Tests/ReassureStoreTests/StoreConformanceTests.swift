import Foundation
import Testing

@testable import ReassureStore

/// One behaviour, two backends: every test here runs against SQLite and the real PostgreSQL.
@Suite struct StoreConformanceTests {
    @Test(arguments: Backend.allCases)
    func aReportedCaseIsStoredOnceEvenWhenItsEventComesTwice(_ backend: Backend) async throws {
        let fixture = try await Fixture.make(backend)
        let first = try await fixture.store.recordCase(eventID: "evt-1", case: newCase(), victim: newVictim(), contacts: plan(4),
                                                       tasks: [NewTask(kind: "interpreter_needed", reason: "r", language: "ti")])
        let second = try await fixture.store.recordCase(eventID: "evt-1", case: newCase(), victim: newVictim(), contacts: plan(4), tasks: [])
        #expect(first.ids != nil)
        #expect(second == .duplicateEvent)
        #expect(try await fixture.store.contactCounts() == [.scheduled: 4])
        #expect(try await fixture.store.openTasks().map(\.kind) == ["interpreter_needed"])
        #expect(try await fixture.store.markEventProcessed("evt-2"))
        #expect(try await !fixture.store.markEventProcessed("evt-2"))
    }

    @Test(arguments: Backend.allCases)
    func aBatchOfCasesIsStoredInOneGoAndSkipsEventsSeenBefore(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        _ = try await store.recordCase(eventID: "seen", case: newCase(), victim: newVictim(), contacts: plan(1), tasks: [])
        let shared = newCase("CAS 9/11/2026")
        let results = try await store.recordCases([
            .init(eventID: "a", case: shared, victim: newVictim(), contacts: plan(3), tasks: []),
            .init(eventID: "seen", case: newCase(), victim: newVictim(), contacts: plan(3), tasks: []),
            .init(eventID: "b", case: shared, victim: newVictim(phone: "+27820000002"), contacts: plan(2), tasks: [NewTask(kind: "callback", reason: "r")]),
        ])
        #expect(results[1] == .duplicateEvent)
        #expect(results[0].ids?.caseID == results[2].ids?.caseID, "two events about one case share it")
        #expect(results[0].ids?.victimID != results[2].ids?.victimID)
        #expect(try await store.contactCounts() == [.scheduled: 6])
        #expect(try await store.openTasks().count == 1)
    }

    @Test(arguments: Backend.allCases)
    func everyLegalTransitionWorksAndEveryIllegalOneIsRefused(_ backend: Backend) async throws {
        let fixture = try await Fixture.make(backend)
        let store = fixture.store
        for from in ContactState.allCases {
            for to in ContactState.allCases {
                let ids = try await store.recordCase(eventID: UUID().uuidString, case: newCase(), victim: newVictim(), contacts: plan(1), tasks: []).ids!
                let contact = try await store.claimDueContacts(now: reported.addingTimeInterval(10), limit: 10, perUnit: 10, owner: "t", lease: 60)
                #expect(contact.count == 1)
                try await drive(store, contact[0].id, to: from)
                if from.canMove(to: to) {
                    #expect(try await store.transition(contact[0].id, from: from, to: to), "\(from) → \(to)")
                    #expect(try await store.contact(contact[0].id)?.state == to)
                    // Compare-and-set: the same move again finds the contact no longer in `from`.
                    #expect(try await !store.transition(contact[0].id, from: from, to: to))
                } else {
                    await #expect(throws: StoreError.self, "\(from) → \(to) must be refused") {
                        try await store.transition(contact[0].id, from: from, to: to)
                    }
                    #expect(try await store.contact(contact[0].id)?.state == from)
                }
                _ = ids
                _ = try await store.closeCase(caseID: ids.caseID, outcomeCode: "done")
            }
        }
    }

    /// Walks a claimed contact along the happy path (or aside) until it is in `state`.
    func drive(_ store: Store, _ id: UUID, to state: ContactState) async throws {
        let path: [ContactState] = [.claimed, .queued, .sending, .sent, .delivered]
        switch state {
        case .scheduled: try await store.transition(id, from: .claimed, to: .scheduled)
        case .cancelled: try await store.transition(id, from: .claimed, to: .cancelled)
        case .failed:
            try await drive(store, id, to: .sending)
            try await store.transition(id, from: .sending, to: .failed)
        default:
            for (from, to) in zip(path, path.dropFirst()) where path.firstIndex(of: to)! <= path.firstIndex(of: state)! {
                try await store.transition(id, from: from, to: to)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func concurrentClaimersNeverClaimTheSameContact(_ backend: Backend) async throws {
        let fixture = try await Fixture.make(backend)
        let store = fixture.store
        _ = try await store.recordCase(eventID: "bulk", case: newCase(), victim: newVictim(), contacts: plan(600, spacing: 1), tasks: [])
        let now = reported.addingTimeInterval(3600)
        let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
            for worker in 0..<12 {
                group.addTask {
                    var mine: [UUID] = []
                    while true {
                        let batch = try await store.claimDueContacts(now: now, limit: 25, perUnit: 1000, owner: "w\(worker)", lease: 300)
                        if batch.isEmpty { return mine }
                        #expect(batch.count <= 25, "a claim never hands out more than asked for")
                        mine += batch.map(\.id)
                    }
                }
            }
            return try await group.reduce(into: [UUID]()) { $0 += $1 }
        }
        #expect(claimed.count == 600)
        #expect(Set(claimed).count == 600, "no contact claimed twice")
    }

    @Test(arguments: Backend.allCases)
    func twoProcessesNeverClaimTheSameContact(_ backend: Backend) async throws {
        let fixture = try await Fixture.make(backend)
        _ = try await fixture.store.recordCase(eventID: "bulk", case: newCase(), victim: newVictim(), contacts: plan(400, spacing: 1), tasks: [])
        let claimer = try ClaimProbe.executable()
        let barrier = FileManager.default.temporaryDirectory.appendingPathComponent("go-\(UUID().uuidString)").path
        let arguments = ["--store-url", fixture.url, "--now-ms", "\(Int64(reported.timeIntervalSince1970 * 1000) + 3_600_000)",
                         "--go-file", barrier, "--pause-ms", "5", "--max", "250"]
        // Both processes connect and wait at the barrier; then both are let go at once.
        let outputs = try await runTogether([(claimer.path, arguments), (claimer.path, arguments)]) {
            let deadline = Date().addingTimeInterval(60)
            func ready() -> Int {
                let directory = URL(fileURLWithPath: barrier).deletingLastPathComponent().path
                let prefix = URL(fileURLWithPath: barrier).lastPathComponent + ".ready."
                return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(prefix) }.count
            }
            while ready() < 2 && Date() < deadline { usleep(5_000) }
            FileManager.default.createFile(atPath: barrier, contents: Data())
        }
        let lists = outputs.map { String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init) }
        // Each takes at most 250 of the 400 (after the common start), so both take a share.
        #expect(lists.allSatisfy { $0.count >= 150 }, "claims per process: \(lists.map(\.count))")
        let all = lists.flatMap { $0 }
        #expect(all.count == 400)
        #expect(Set(all).count == 400, "no contact claimed by both processes")
    }

    @Test(arguments: Backend.allCases)
    func anExpiredLeaseReturnsTheClaim(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        _ = try await store.recordCase(eventID: "e", case: newCase(), victim: newVictim(), contacts: plan(3), tasks: [])
        let now = reported.addingTimeInterval(600)
        let first = try await store.claimDueContacts(now: now, limit: 10, perUnit: 10, owner: "crashed", lease: 30)
        #expect(first.count == 3)
        #expect(try await store.claimDueContacts(now: now.addingTimeInterval(10), limit: 10, perUnit: 10, owner: "other", lease: 30).isEmpty)
        #expect(try await store.releaseExpiredLeases(now: now.addingTimeInterval(10)) == 0, "the lease still holds")
        #expect(try await store.releaseExpiredLeases(now: now.addingTimeInterval(31)) == 3)
        let again = try await store.claimDueContacts(now: now.addingTimeInterval(31), limit: 10, perUnit: 10, owner: "other", lease: 30)
        #expect(Set(again.map(\.id)) == Set(first.map(\.id)))
        #expect(again.allSatisfy { $0.leaseOwner == "other" })
    }

    @Test(arguments: Backend.allCases)
    func oneUnitsBacklogDoesNotStarveAnother(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        _ = try await store.recordCase(eventID: "big", case: newCase(unit: "big-unit"), victim: newVictim(), contacts: plan(500, spacing: 1), tasks: [])
        _ = try await store.recordCase(eventID: "small", case: newCase(unit: "small-unit"), victim: newVictim(),
                                       contacts: plan(3, dueFrom: reported.addingTimeInterval(1000)), tasks: [])
        let batch = try await store.claimDueContacts(now: reported.addingTimeInterval(5000), limit: 20, perUnit: 10, owner: "w", lease: 60)
        #expect(batch.filter { $0.unit == "small-unit" }.count == 3, "the small unit's due contacts come in the first batch")
        #expect(batch.filter { $0.unit == "big-unit" }.count <= 10)
    }

    @Test(arguments: Backend.allCases)
    func claimsStopAtTheInFlightCap(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        _ = try await store.recordCase(eventID: "cap", case: newCase(), victim: newVictim(), contacts: plan(10, spacing: 1), tasks: [])
        let now = reported.addingTimeInterval(100)
        let first = try await store.claimDueContacts(now: now, limit: 10, perUnit: 10, owner: "w", lease: 60, maxInFlight: 4)
        #expect(first.count == 4)
        #expect(try await store.claimDueContacts(now: now, limit: 10, perUnit: 10, owner: "w", lease: 60, maxInFlight: 4).isEmpty)
        // Once some leave flight (here: their lease ran out), there is room again.
        #expect(try await store.releaseExpiredLeases(now: now.addingTimeInterval(61)) == 4)
        #expect(try await store.claimDueContacts(now: now.addingTimeInterval(61), limit: 10, perUnit: 10, owner: "w", lease: 60, maxInFlight: 4).count == 4)
    }

    @Test(arguments: Backend.allCases)
    func attemptsCarryAnIdempotencyKeyAndOutcomesOnlyMoveForward(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        _ = try await store.recordCase(eventID: "e", case: newCase(), victim: newVictim(), contacts: plan(1), tasks: [])
        let contact = try await store.claimDueContacts(now: reported.addingTimeInterval(60), limit: 1, perUnit: 1, owner: "w", lease: 60)[0]
        try await store.transition(contact.id, from: .claimed, to: .queued)
        let attempt = try #require(try await store.beginAttempt(contact.id, channel: "sms"))
        #expect(attempt.idempotencyKey == "\(contact.id.uuidString):1")
        #expect(try await store.beginAttempt(contact.id, channel: "sms") == nil, "only a queued contact starts an attempt")
        #expect(try await store.currentAttempt(contact.id) == attempt)
        let at = reported.addingTimeInterval(120)
        #expect(try await store.recordOutcomes([AttemptOutcome(idempotencyKey: attempt.idempotencyKey, status: .delivered, providerMessageID: "p1", at: at)]) == 1)
        // A late "sent" receipt never overwrites "delivered".
        #expect(try await store.recordOutcomes([AttemptOutcome(idempotencyKey: attempt.idempotencyKey, status: .sent, at: at)]) == 0)
        #expect(try await store.contact(contact.id)?.state == .delivered)
        // …but the time it was sent, which the receipt overtook, is kept.
        #expect(try await store.dueToSentMilliseconds().count == 1)
        // A receipt for a key no attempt has (it overtook its send) is named, and the known one still recorded.
        let early = AttemptOutcome(idempotencyKey: "\(UUID().uuidString):1", status: .delivered, at: at)
        #expect(try await store.recordReceipts([early, AttemptOutcome(idempotencyKey: attempt.idempotencyKey, status: .delivered, at: at)])
                == [early.idempotencyKey])
    }

    @Test(arguments: Backend.allCases)
    func closingACaseCancelsPendingContactsButNotThoseAlreadySent(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        let ids = try await store.recordCase(eventID: "e", case: newCase(), victim: newVictim(), contacts: plan(3), tasks: []).ids!
        let first = try await store.claimDueContacts(now: reported, limit: 1, perUnit: 1, owner: "w", lease: 60)[0]
        try await store.transition(first.id, from: .claimed, to: .queued)
        _ = try await store.beginAttempt(first.id, channel: "sms")
        #expect(try await store.closeCase(caseID: ids.caseID, outcomeCode: "arrest_charged") == 2)
        #expect(try await store.contactCounts() == [.sending: 1, .cancelled: 2])
    }

    @Test(arguments: Backend.allCases)
    func optingOutCancelsAndRepliesFindTheirVictimByPhone(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        let ids = try await store.recordCase(eventID: "e", case: newCase(), victim: newVictim(phone: "+27825550199"), contacts: plan(5), tasks: []).ids!
        let found = try #require(try await store.victimID(forPhone: "+27 82 555 0199"))
        #expect(found.victimID == ids.victimID)
        #expect(try await store.victimID(forPhone: "+27825550100") == nil)
        #expect(try await store.setOptedOut(ids.victimID, true, actor: "outcomes") == 5)
        let victim = try #require(try await store.victim(ids.victimID, actor: "officer-1", reason: "callback"))
        #expect(victim.optedOut && victim.phone == "+27825550199" && victim.givenName == "Nomvuyiswa")
    }

    @Test(arguments: Backend.allCases)
    func readsOfPersonalDataAndDeletionsAreAudited(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        let ids = try await store.recordCase(eventID: "e", case: newCase(), victim: newVictim(), contacts: plan(1), tasks: []).ids!
        _ = try await store.victim(ids.victimID, actor: "token:unit-officer", reason: "GET /v1/cases reveal=true")
        _ = try await store.closeCase(caseID: ids.caseID, outcomeCode: "no_further_action", at: reported)
        _ = try await store.purge(before: reported.addingTimeInterval(86_400), dryRun: false, actor: "cli", at: reported.addingTimeInterval(90_000))
        let entries = try await store.auditEntries()
        #expect(entries.contains { $0.actor == "token:unit-officer" && $0.action == "read_personal_data" && $0.reason == "GET /v1/cases reveal=true" })
        #expect(entries.contains { $0.action == "purge_personal_data" && $0.subject == "case \(ids.caseID.uuidString)" })
        #expect(entries.contains { $0.action == "purge" })
    }

    @Test(arguments: Backend.allCases)
    func purgeDeletesPersonalDataOfOldClosedCasesAndKeepsAnonymousCounts(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        let old = try await store.recordCase(eventID: "old", case: newCase(), victim: newVictim(), contacts: plan(2), tasks: [], at: reported).ids!
        let recent = try await store.recordCase(eventID: "new", case: newCase(), victim: newVictim(), contacts: plan(1), tasks: [],
                                                at: reported.addingTimeInterval(400 * 86_400)).ids!
        try await store.recordReply(victimID: old.victimID, text: "please call me about the window", intent: "other")
        _ = try await store.closeCase(caseID: old.caseID, outcomeCode: "closed", at: reported)
        let cutoff = reported.addingTimeInterval(365 * 86_400)
        let dry = try await store.purge(before: cutoff, dryRun: true, actor: "cli")
        #expect(dry == Store.PurgeReport(cases: 1, victims: 1, replies: 1, dryRun: true))
        #expect(try await store.victim(old.victimID, actor: "t", reason: "check")?.phone == "+27821234567", "a dry run changes nothing")
        let done = try await store.purge(before: cutoff, dryRun: false, actor: "cli")
        #expect(done.cases == 1 && !done.dryRun)
        let purged = try await store.victim(old.victimID, actor: "t", reason: "check")
        #expect(purged?.phone == nil && purged?.givenName == nil && purged?.email == nil)
        #expect(try await store.replies(victimID: old.victimID, actor: "t", reason: "check").isEmpty)
        #expect(try await store.victim(recent.victimID, actor: "t", reason: "check")?.phone == "+27821234567", "recent cases are kept")
        let counts = try await store.database.transaction { try await $0.query("SELECT CAST(SUM(count) AS BIGINT) AS n FROM anonymous_counts", []) }
        #expect(counts.first?.int("n") == 2, "the old case's two contacts are still counted")
    }

    @Test(arguments: Backend.allCases)
    func noPersonalDataIsStoredInPlaintext(_ backend: Backend) async throws {
        let fixture = try await Fixture.make(backend)
        let store = fixture.store
        let marker = UUID().uuidString.prefix(6)
        var victim = newVictim(phone: "+27829876543")
        victim.givenName = "Zanele\(marker)"
        victim.email = "zanele.\(marker)@example.org"
        let ids = try await store.recordCase(eventID: "e", case: newCase(), victim: victim, contacts: plan(1), tasks: []).ids!
        try await store.recordReply(victimID: ids.victimID, text: "my neighbour \(marker) saw it", intent: "other")
        _ = try await store.acceptEvents([("evt-x", "case.reported", Array("{\"given_name\":\"Zanele\(marker)\"}".utf8))])
        let raw = try await fixture.rawBytes()
        #expect(raw.count > 1000)
        for secret in ["Zanele\(marker)", "zanele.\(marker)@example.org", "+27829876543", "27829876543", "neighbour \(marker)"] {
            #expect(raw.range(of: Data(secret.utf8)) == nil, "a personal value is in the raw \(backend) bytes")
        }
    }

    @Test(arguments: Backend.allCases)
    func acceptedEventsWaitInTheOutboxUntilConfirmed(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        let accepted = try await store.acceptEvents([("a", "case.reported", Array("{\"id\":\"a\"}".utf8)), ("b", "case.closed", Array("{}".utf8)),
                                                     ("a", "case.reported", Array("{}".utf8))])
        #expect(accepted == [true, true, false])
        let pending = try await store.pendingOutbox(limit: 10)
        #expect(pending.map(\.eventID) == ["a", "b"])
        #expect(String(decoding: pending[0].payload, as: UTF8.self) == "{\"id\":\"a\"}")
        try await store.markOutboxSent([pending[0].sequence])
        #expect(try await store.pendingOutbox(limit: 10).map(\.eventID) == ["b"])
        #expect(try await store.outboxDepth().count == 1)
        // A relayed event's row keeps no payload but still refuses its id, in a batch of any size.
        let again = try await store.acceptEvents((0..<103).map { ("c\($0)", "case.updated", Array("{\"n\":\($0)}".utf8)) } + [("a", "case.reported", Array("{}".utf8))])
        #expect(again == Array(repeating: true, count: 103) + [false])
        let waiting = try await store.pendingOutbox(limit: 200)
        #expect(waiting.map(\.eventID) == ["b"] + (0..<103).map { "c\($0)" })
        #expect(waiting.dropFirst().map { String(decoding: $0.payload, as: UTF8.self) } == (0..<103).map { "{\"n\":\($0)}" },
                "each event keeps its own payload")
        // Relayed events keep no payload anywhere.
        try await store.markOutboxSent(waiting.map(\.sequence))
        let payloads = try await store.database.autocommit { tx in try await tx.query("SELECT COUNT(*) AS n FROM outbox_payloads", []) }
        #expect(payloads.first?.int("n") == 0)
        #expect(try await store.outboxDepth().count == 0)
    }

    /// Schema 6 moved unsent payloads out of the outbox's rows: an outbox written by schema 5 must
    /// still relay every unsent event, with its payload, after the upgrade.
    @Test(arguments: Backend.allCases)
    func anOutboxFromSchemaFiveKeepsItsUnsentEventsThroughTheUpgrade(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend, schema: 5).store
        let sealed = try #require(try store.protector.encrypt("{\"id\":\"waiting\"}"))
        try await store.database.transaction { tx in
            try await tx.query("""
                INSERT INTO outbox (event_id, routing_key, payload_enc, created_at, sent_at)
                VALUES (?, 'case.reported', ?, 1, 2), (?, 'case.reported', ?, 3, NULL)
                """, [.text("relayed"), .blob([]), .text("waiting"), .blob(sealed)])
        }
        #expect(try await store.migrate() == [6])
        #expect(try await store.pendingOutbox(limit: 10).map { [$0.eventID, String(decoding: $0.payload, as: UTF8.self)] }
                == [["waiting", "{\"id\":\"waiting\"}"]])
        let refused = try await store.acceptEvents([("relayed", "case.reported", []), ("waiting", "case.reported", [])])
        #expect(refused == [false, false], "both ids stay taken")
    }

    @Test(arguments: Backend.allCases)
    func tokensAreStoredHashedAndCanBeRevoked(_ backend: Backend) async throws {
        let fixture = try await Fixture.make(backend)
        let token = try await fixture.store.createToken(name: "records-system", role: "integrator")
        #expect(try await fixture.store.tokenIdentity(token)?.role == "integrator")
        #expect(try await fixture.store.tokenIdentity(token + "x") == nil)
        await #expect(throws: StoreError.self) { _ = try await fixture.store.createToken(name: "records-system", role: "admin") }
        #expect(try await fixture.store.revokeToken(name: "records-system"))
        #expect(try await fixture.store.tokenIdentity(token) == nil)
        #expect(try await fixture.rawBytes().range(of: Data(token.utf8)) == nil)
    }

    @Test(arguments: Backend.allCases)
    func rotatingKeysReencryptsEverythingUnderTheNewKey(_ backend: Backend) async throws {
        let fixture = try await Fixture.make(backend)
        let ids = try await fixture.store.recordCase(eventID: "e", case: newCase(), victim: newVictim(phone: "+27820001111"), contacts: plan(1), tasks: []).ids!
        _ = try await fixture.store.acceptEvents([("unsent", "case.reported", Array("{\"id\":\"unsent\"}".utf8))])
        let newKey = [UInt8](repeating: 9, count: 32)
        let rotated = Store(database: fixture.store.database, protector: try DataProtector(keys: [newKey, Fixture.key]))
        #expect(try await rotated.reencryptAll(actor: "cli") >= 1)
        let onlyNew = Store(database: fixture.store.database, protector: try DataProtector(keys: [newKey]))
        #expect(try await onlyNew.victim(ids.victimID, actor: "t", reason: "check")?.phone == "+27820001111")
        #expect(try await onlyNew.victimID(forPhone: "+27820001111")?.victimID == ids.victimID)
        #expect(try await onlyNew.pendingOutbox(limit: 10).map { String(decoding: $0.payload, as: UTF8.self) } == ["{\"id\":\"unsent\"}"])
    }

    /// A client that hangs up cancels its request's task, possibly inside a transaction: the
    /// transaction must roll back and the store must go on working for everyone else.
    @Test(arguments: Backend.allCases)
    func aTransactionCancelledHalfwayRollsBackAndTheStoreGoesOn(_ backend: Backend) async throws {
        let fixture = try await Fixture.make(backend)
        let store = fixture.store
        let (started, signal) = AsyncStream<Void>.makeStream()
        let cancelled = Task {
            try await store.database.transaction { tx in
                _ = try await tx.query("INSERT INTO audit_log (at, actor, action, subject, reason) VALUES (?, 'test', 'half', 'x', 'y')",
                                       [.int(1)])
                signal.yield()
                try await Task.sleep(for: .seconds(30))
                return 0
            }
        }
        for await _ in started { break }
        cancelled.cancel()
        _ = try? await cancelled.value
        let recorded = try await store.recordCase(eventID: "after", case: newCase(), victim: newVictim(), contacts: plan(1), tasks: [])
        guard case .created = recorded else {
            Issue.record("the store no longer takes work after a cancelled transaction: \(recorded)")
            return
        }
        let halves = try await store.database.transaction { tx in
            try await tx.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'half'", [])
        }
        #expect(halves.first?.int("n") == 0, "the cancelled transaction's write was rolled back")
    }

    @Test(arguments: Backend.allCases)
    func migrationsAreRecordedAndRunOnce(_ backend: Backend) async throws {
        let store = try await Fixture.make(backend).store
        #expect(try await store.schemaVersion() == Migrations.latest)
        #expect(Migrations.latest == 6)
        #expect(try await store.migrate().isEmpty)
    }
}
