import Foundation

extension Store {
    public enum CaseRecording: Sendable, Equatable {
        /// Stored, with these ids.
        case created(caseID: UUID, victimID: UUID)
        /// The event id was processed before: nothing changed.
        case duplicateEvent
    }

    /// Stores a reported case — the case, its victim, the whole contact plan and any tasks — in
    /// one transaction, together with the event id, so a redelivered event changes nothing.
    public func recordCase(eventID: String, case newCase: NewCase, victim: NewVictim, contacts: [NewContact],
                           tasks: [NewTask], at now: Date = Date()) async throws -> CaseRecording {
        let sealed = try SealedVictim(victim, protector)
        return try await database.transaction { tx in
            guard try await Self.markProcessed(eventID, at: now, tx) else { return .duplicateEvent }
            let caseID = try await Self.upsertCase(newCase, at: now, tx)
            let victimID = UUID()
            try await tx.query("""
                INSERT INTO victims (id, case_id, ref, given_name_enc, phone_enc, email_enc, phone_index, languages, timezone,
                  windows, preferred_channel, safe_to_contact, consent_status, opted_out, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                """, [.text(victimID.uuidString), .text(caseID.uuidString), .text(victim.ref), SQLValue(sealed.givenName),
                      SQLValue(sealed.phone), SQLValue(sealed.email), SQLValue(sealed.phoneIndex),
                      .text(victim.languages.joined(separator: ",")), .text(victim.timezone), .text(victim.windowsJSON),
                      SQLValue(victim.preferredChannel), .text(victim.safeToContact), .text(victim.consentStatus),
                      SQLValue(now), SQLValue(now)])
            try await Self.insertContacts(contacts, caseID: caseID, victimID: victimID, unit: newCase.unit, at: now, tx)
            try await Self.insertTasks(tasks, caseID: caseID, at: now, tx)
            return .created(caseID: caseID, victimID: victimID)
        }
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
                               [.text(outcomeCode), SQLValue(now), SQLValue(now), .text(caseID.uuidString)])
            return try await Self.cancelPending(where: "case_id = ?", [.text(caseID.uuidString)], at: now, tx)
        }
    }

    /// The case id for a unit's police reference.
    public func caseID(unit: String, reference: String) async throws -> UUID? {
        try await database.transaction { tx in
            try await tx.query("SELECT id FROM cases WHERE unit = ? AND reference = ?", [.text(unit), .text(reference)])
                .first?.text("id").flatMap(UUID.init(uuidString:))
        }
    }

    static func upsertCase(_ newCase: NewCase, at now: Date, _ tx: any SQLTransaction) async throws -> UUID {
        let inserted = try await tx.query("""
            INSERT INTO cases (id, reference, unit, category, priority, status, opened_at, last_activity_at)
            VALUES (?, ?, ?, ?, ?, 'open', ?, ?) ON CONFLICT (unit, reference) DO UPDATE SET last_activity_at = excluded.last_activity_at
            RETURNING id
            """, [.text(UUID().uuidString), .text(newCase.reference), .text(newCase.unit), SQLValue(newCase.category),
                  .text(newCase.priority), SQLValue(newCase.openedAt), SQLValue(now)])
        guard let id = inserted.first?.text("id").flatMap(UUID.init(uuidString:)) else {
            throw StoreError(.queryFailed, "storing the case returned no id")
        }
        return id
    }

    /// Multi-row inserts, 100 contacts a statement: a plan costs a handful of statements, not one per row.
    static func insertContacts(_ contacts: [NewContact], caseID: UUID, victimID: UUID, unit: String, at now: Date,
                               _ tx: any SQLTransaction) async throws {
        for chunk in stride(from: 0, to: contacts.count, by: 100).map({ contacts[$0..<min($0 + 100, contacts.count)] }) {
            let rows = Array(repeating: "(?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, ?, ?, 0, ?, ?)", count: chunk.count).joined(separator: ", ")
            var binds: [SQLValue] = []
            binds.reserveCapacity(chunk.count * 14)
            for contact in chunk {
                binds += [.text(contact.id.uuidString), .text(caseID.uuidString), .text(victimID.uuidString), .text(unit),
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
                               [.text(UUID().uuidString), .text(caseID.uuidString), .text(task.kind), .text(task.reason),
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
