import Foundation
import ReassureCore

extension Store {
    public enum CaseRecording: Sendable, Equatable {
        /// Stored, with these ids.
        case created(caseID: UUID, victimID: UUID)
        /// The event id was processed before: nothing changed.
        case duplicateEvent
    }

    /// One reported case to store: the case, its victim, its whole plan and its tasks.
    public struct CaseToRecord: Sendable {
        public var eventID: String
        public var newCase: NewCase
        public var victim: NewVictim
        public var contacts: [NewContact]
        public var tasks: [NewTask]

        public init(eventID: String, case newCase: NewCase, victim: NewVictim, contacts: [NewContact], tasks: [NewTask]) {
            self.eventID = eventID
            self.newCase = newCase
            self.victim = victim
            self.contacts = contacts
            self.tasks = tasks
        }
    }

    /// Stores a reported case — the case, its victim, the whole contact plan and any tasks — in
    /// one transaction, together with the event id, so a redelivered event changes nothing.
    public func recordCase(eventID: String, case newCase: NewCase, victim: NewVictim, contacts: [NewContact],
                           tasks: [NewTask], at now: Date = Date()) async throws -> CaseRecording {
        try await recordCases([CaseToRecord(eventID: eventID, case: newCase, victim: victim, contacts: contacts, tasks: tasks)], at: now)[0]
    }

    /// Many reported cases in one transaction (the scheduler's batch of deliveries), with
    /// multi-row statements: a handful of statements per batch instead of several per case.
    /// Returns one result per input, in order; event ids seen before come back `.duplicateEvent`.
    public func recordCases(_ batch: [CaseToRecord], at now: Date = Date()) async throws -> [CaseRecording] {
        guard !batch.isEmpty else { return [] }
        let sealed = try batch.map { try SealedVictim($0.victim, protector) }
        return try await database.transaction { tx in
            let fresh = try await Self.markProcessed(batch.map(\.eventID), at: now, tx)
            let accepted = batch.indices.filter { fresh.contains(batch[$0].eventID) }
            guard !accepted.isEmpty else { return batch.map { _ in .duplicateEvent } }
            let caseIDs = try await Self.upsertCases(accepted.map { batch[$0].newCase }, at: now, tx)
            var results = Array(repeating: CaseRecording.duplicateEvent, count: batch.count)
            var victims: [[SQLValue]] = []
            var contacts: [(NewContact, UUID, UUID, String)] = []
            var tasks: [(NewTask, UUID)] = []
            for index in accepted {
                let item = batch[index]
                let caseID = caseIDs["\(item.newCase.unit)\u{1F}\(item.newCase.reference)"]!
                let victimID = UUID.timeOrdered()
                results[index] = .created(caseID: caseID, victimID: victimID)
                let victim = item.victim
                victims.append([
                    SQLValue(victimID), SQLValue(caseID), .text(victim.ref), SQLValue(sealed[index].givenName),
                    SQLValue(sealed[index].phone), SQLValue(sealed[index].email), SQLValue(sealed[index].phoneIndex),
                    .text(victim.languages.joined(separator: ",")), .text(victim.timezone), .text(victim.windowsJSON),
                    SQLValue(victim.preferredChannel), .text(victim.safeToContact), .text(victim.consentStatus),
                    .int(victim.discreetContact ? 1 : 0), SQLValue(now), SQLValue(now),
                ])
                contacts += item.contacts.map { ($0, caseID, victimID, item.newCase.unit) }
                tasks += item.tasks.map { ($0, caseID) }
            }
            for chunk in victims.chunked(500) {
                try await tx.query("""
                    INSERT INTO victims (id, case_id, ref, given_name_enc, phone_enc, email_enc, phone_index, languages, timezone,
                      windows, preferred_channel, safe_to_contact, consent_status, discreet_contact, created_at, updated_at)
                    VALUES \(Self.rows(chunk.count, width: 16))
                    """, chunk.flatMap { $0 })
            }
            try await Self.insertContacts(contacts, at: now, tx)
            for (task, caseID) in tasks { try await Self.insertTasks([task], caseID: caseID, at: now, tx) }
            return results
        }
    }

    /// `(?, …, ?), (?, …, ?)`: `count` rows of `width` placeholders.
    static func rows(_ count: Int, width: Int) -> String {
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        return Array(repeating: row, count: count).joined(separator: ", ")
    }

    /// Records many event ids at once; returns those that were new.
    static func markProcessed(_ eventIDs: [String], at now: Date, _ tx: any SQLTransaction) async throws -> Set<String> {
        var fresh: Set<String> = []
        for chunk in Array(Set(eventIDs)).chunked(500) {
            let rows = try await tx.query("INSERT INTO processed_events (event_id, processed_at) VALUES \(rows(chunk.count, width: 2)) ON CONFLICT DO NOTHING RETURNING event_id",
                                          chunk.flatMap { [SQLValue.text($0), SQLValue(now)] })
            fresh.formUnion(rows.compactMap { $0.text("event_id") })
        }
        return fresh
    }

    /// Adds contacts to an existing case (an update message, a closing message, a re-plan).
    public func addContacts(_ contacts: [NewContact], caseID: UUID, victimID: UUID, unit: String, at now: Date = Date()) async throws {
        try await database.transaction { tx in
            try await Self.insertContacts(contacts, caseID: caseID, victimID: victimID, unit: unit, at: now, tx)
        }
    }

    /// Closes a case with its outcome code and cancels every pending contact; returns how many.
    public func closeCase(caseID: UUID, outcomeCode: String, at now: Date = Date()) async throws -> Int {
        try await database.transaction { tx in
            try await tx.query("UPDATE cases SET status = 'closed', outcome_code = ?, closed_at = ?, last_activity_at = ? WHERE id = ?",
                               [.text(outcomeCode), SQLValue(now), SQLValue(now), SQLValue(caseID)])
            return try await Self.cancelPending(where: "case_id = ?", [SQLValue(caseID)], at: now, tx)
        }
    }

    /// The case id for a unit's police reference.
    public func caseID(unit: String, reference: String) async throws -> UUID? {
        try await database.autocommit { tx in
            try await tx.query("SELECT id FROM cases WHERE unit = ? AND reference = ?", [.text(unit), .text(reference)])
                .first?.uuid("id")
        }
    }

    /// Inserts the cases (or touches the existing ones); returns ids by "unit␟reference".
    static func upsertCases(_ cases: [NewCase], at now: Date, _ tx: any SQLTransaction) async throws -> [String: UUID] {
        var unique: [String: NewCase] = [:]
        for item in cases { unique["\(item.unit)\u{1F}\(item.reference)"] = item }
        var ids: [String: UUID] = [:]
        for chunk in Array(unique.values).chunked(100) {
            let binds = chunk.flatMap { item -> [SQLValue] in
                [SQLValue(UUID.timeOrdered()), .text(item.reference), .text(item.unit), SQLValue(item.category), .text(item.priority),
                 SQLValue(item.openedAt), SQLValue(now), SQLValue(item.officerPhone)]
            }
            let rows = try await tx.query("""
                INSERT INTO cases (id, reference, unit, category, priority, opened_at, last_activity_at, officer_phone)
                VALUES \(rows(chunk.count, width: 8))
                ON CONFLICT (unit, reference) DO UPDATE SET last_activity_at = excluded.last_activity_at,
                  officer_phone = COALESCE(excluded.officer_phone, cases.officer_phone) RETURNING id, unit, reference
                """, binds)
            for row in rows {
                if let id = row.uuid("id") { ids["\(row.text("unit") ?? "")\u{1F}\(row.text("reference") ?? "")"] = id }
            }
        }
        guard ids.count == unique.count else { throw StoreError(.queryFailed, "storing cases returned \(ids.count) ids for \(unique.count) cases") }
        return ids
    }

    /// Multi-row inserts, 500 contacts a statement (13 values each, well inside both databases'
    /// bind limits): a plan costs a handful of statements, not one per row.
    static func insertContacts(_ contacts: [NewContact], caseID: UUID, victimID: UUID, unit: String, at now: Date,
                               _ tx: any SQLTransaction) async throws {
        try await insertContacts(contacts.map { ($0, caseID, victimID, unit) }, at: now, tx)
    }

    static func insertContacts(_ contacts: [(NewContact, UUID, UUID, String)], at now: Date, _ tx: any SQLTransaction) async throws {
        for chunk in contacts.chunked(500) {
            let rows = Array(repeating: "(?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, ?, ?, 0, ?, ?)", count: chunk.count).joined(separator: ", ")
            var binds: [SQLValue] = []
            binds.reserveCapacity(chunk.count * 14)
            for (contact, caseID, victimID, unit) in chunk {
                binds += [SQLValue(contact.id), SQLValue(caseID), SQLValue(victimID), .text(unit),
                          .text(contact.stage), .text(contact.label), SQLValue(contact.dueAt), .text(contact.language),
                          .text(contact.channel), .text(contact.templateVersion), SQLValue(contact.segments), SQLValue(now), SQLValue(now)]
            }
            try await tx.query("""
                INSERT INTO contacts (id, case_id, victim_id, unit, stage, label, state, due_at, language, channel,
                  template_version, segments, attempts, created_at, updated_at) VALUES \(rows)
                """, binds)
        }
    }

    static func insertTasks(_ tasks: [NewTask], caseID: UUID, at now: Date, _ tx: any SQLTransaction) async throws {
        for task in tasks {
            try await tx.query("INSERT INTO tasks (id, case_id, kind, reason, language, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)",
                               [SQLValue(UUID.timeOrdered()), SQLValue(caseID), .text(task.kind), .text(task.reason),
                                SQLValue(task.language), SQLValue(now)])
        }
    }
}

/// A victim's personal data, encrypted, ready to write.
struct SealedVictim {
    var givenName: [UInt8]?
    var phone: [UInt8]?
    var email: [UInt8]?
    var phoneIndex: String?

    init(_ victim: NewVictim, _ protector: DataProtector) throws {
        givenName = try protector.encrypt(victim.givenName)
        phone = try protector.encrypt(victim.phone)
        email = try protector.encrypt(victim.email)
        phoneIndex = victim.phone.map(protector.blindIndex(phone:))
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
