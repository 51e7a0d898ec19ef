import Foundation
import ReassureCore

extension Store {
    /// The clock published these claimed contacts (the broker confirmed): mark them queued and
    /// extend their lease to `until`, a statement per 500. Returns how many moved. Each
    /// statement stands alone: a contact left `claimed` by a crash in between is still sent
    /// (the dispatcher takes claimed contacts too) or returned when its lease ends.
    @discardableResult
    public func markQueued(_ contactIDs: [UUID], leaseUntil until: Date, at now: Date = Date()) async throws -> Int {
        guard !contactIDs.isEmpty else { return 0 }
        return try await database.autocommit { tx in
            var moved = 0
            for chunk in contactIDs.chunked(500) {
                moved += try await tx.query("""
                    UPDATE contacts SET state = 'queued', lease_expires_at = ?, updated_at = ?
                    WHERE state = 'claimed' AND id IN (\(chunk.map { _ in "?" }.joined(separator: ", "))) RETURNING id
                    """, [SQLValue(until), SQLValue(now)] + chunk.map { SQLValue($0) }).count
            }
            return moved
        }
    }

    /// `beginAttempt` for a batch: moves each queued contact (or one still `claimed` because
    /// its clock died between publishing and marking it queued) to `sending` and opens its next
    /// attempt. Contacts in any other state are left alone and absent from the result.
    public func beginAttempts(_ requests: [(contactID: UUID, channel: String)], at now: Date = Date()) async throws -> [UUID: Attempt] {
        guard !requests.isEmpty else { return [:] }
        let channels = Dictionary(requests.map { ($0.contactID, $0.channel) }, uniquingKeysWith: { first, _ in first })
        return try await database.transaction { tx in
            var attempts: [UUID: Attempt] = [:]
            for chunk in Array(channels.keys).chunked(200) {
                let rows = try await tx.query("""
                    UPDATE contacts SET state = 'sending', attempts = attempts + 1, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
                    WHERE state IN ('queued', 'claimed') AND id IN (\(chunk.map { _ in "?" }.joined(separator: ", "))) RETURNING id, attempts
                    """, [SQLValue(now)] + chunk.map { SQLValue($0) })
                var binds: [SQLValue] = []
                for row in rows {
                    guard let id = row.uuid("id"), let number = row.int("attempts"), let channel = channels[id]
                    else { continue }
                    let attempt = Attempt(contactID: id, number: Int(number), channel: channel)
                    attempts[id] = attempt
                    binds += [.text(attempt.idempotencyKey), SQLValue(id), .int(number), .text(channel), SQLValue(now)]
                }
                if !binds.isEmpty {
                    try await tx.query("""
                        INSERT INTO attempts (idempotency_key, contact_id, number, channel, status, started_at)
                        VALUES \(Array(repeating: "(?, ?, ?, ?, 'sending', ?)", count: binds.count / 5).joined(separator: ", "))
                        """, binds)
                }
            }
            return attempts
        }
    }

    /// The latest attempt of each contact (the one a re-send must reuse), in one query.
    public func currentAttempts(_ contactIDs: [UUID]) async throws -> [UUID: Attempt] {
        guard !contactIDs.isEmpty else { return [:] }
        return try await database.autocommit { tx in
            var attempts: [UUID: Attempt] = [:]
            for chunk in contactIDs.chunked(200) {
                let rows = try await tx.query("""
                    SELECT a.idempotency_key, a.contact_id, a.number, a.channel FROM attempts a JOIN contacts k ON k.id = a.contact_id
                    WHERE a.number = k.attempts AND k.id IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))
                    """, chunk.map { SQLValue($0) })
                for row in rows {
                    guard let id = row.uuid("contact_id") else { continue }
                    attempts[id] = Attempt(contactID: id, number: Int(row.int("number") ?? 0), idempotencyKey: row.text("idempotency_key") ?? "",
                                           channel: row.text("channel") ?? "")
                }
            }
            return attempts
        }
    }

    /// After a permanent failure on one channel: closes that attempt as failed and opens the next
    /// one on `channel` while the contact stays `sending`. Nil if the contact is not sending.
    public func fallbackAttempt(after failed: Attempt, channel: String, error: String, at now: Date = Date()) async throws -> Attempt? {
        try await database.transaction { tx in
            try await tx.query("UPDATE attempts SET status = 'failed', error = ?, finished_at = ? WHERE idempotency_key = ?",
                               [.text(error), SQLValue(now), .text(failed.idempotencyKey)])
            let rows = try await tx.query("""
                UPDATE contacts SET attempts = attempts + 1, channel = ?, updated_at = ? WHERE id = ? AND state = 'sending' RETURNING attempts
                """, [.text(channel), SQLValue(now), SQLValue(failed.contactID)])
            guard let number = rows.first?.int("attempts") else { return nil }
            return try await Self.open(Attempt(contactID: failed.contactID, number: Int(number), channel: channel), at: now, tx)
        }
    }

    /// Records `attempt` as sending (its contact already counts it).
    static func open(_ attempt: Attempt, at now: Date, _ tx: any SQLTransaction) async throws -> Attempt {
        try await tx.query("INSERT INTO attempts (idempotency_key, contact_id, number, channel, status, started_at) VALUES (?, ?, ?, ?, 'sending', ?)",
                           [.text(attempt.idempotencyKey), SQLValue(attempt.contactID), .int(Int64(attempt.number)), .text(attempt.channel), SQLValue(now)])
        return attempt
    }

    /// Marks `sending` contacts as still being worked on (a retry was scheduled), so the sweeper
    /// does not take them for stuck.
    public func touchSending(_ contactIDs: [UUID], error: String?, at now: Date = Date()) async throws {
        guard !contactIDs.isEmpty else { return }
        try await database.transaction { tx in
            for chunk in contactIDs.chunked(500) {
                try await tx.query("""
                    UPDATE contacts SET updated_at = ?, last_error = COALESCE(?, last_error)
                    WHERE state = 'sending' AND id IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))
                    """, [SQLValue(now), SQLValue(error)] + chunk.map { SQLValue($0) })
            }
        }
    }

    /// Contacts left in `state` (`sending` or `sent`) without change since `before`: work a
    /// crashed dispatcher or a lost receipt left behind. Touches them so two sweepers do not
    /// both take the same ones.
    public func takeStuck(in state: ContactState, before: Date, limit: Int, at now: Date = Date()) async throws -> [ContactRecord] {
        try await database.transaction { tx in
            try await tx.query("""
                UPDATE contacts SET updated_at = ? WHERE id IN (
                  SELECT id FROM contacts WHERE state = ? AND updated_at < ? ORDER BY updated_at LIMIT ?)
                RETURNING \(Self.contactColumns)
                """, [SQLValue(now), .text(state.rawValue), SQLValue(before), SQLValue(limit)]).compactMap(Self.contact)
        }
    }

    /// Gives up on a contact: failed, with the reason, and a task for a person, in one transaction.
    public func failContact(_ contactID: UUID, caseID: UUID, from: ContactState, error: String, task: NewTask, at now: Date = Date()) async throws -> Bool {
        try await database.transaction { tx in
            if from == .sending {
                try await tx.query("UPDATE attempts SET status = 'failed', error = ?, finished_at = ? WHERE contact_id = ? AND status = 'sending'",
                                   [.text(error), SQLValue(now), SQLValue(contactID)])
            }
            guard try await Self.move(contactID, from: from, to: .failed, at: now, dueAt: nil, error: error, tx) else { return false }
            try await Self.insertTasks([task], caseID: caseID, at: now, tx)
            return true
        }
    }

    /// Contacts by id (tests, operators).
    public func contacts(caseID: UUID) async throws -> [ContactRecord] {
        try await database.transaction { tx in
            try await tx.query("SELECT \(Self.contactColumns) FROM contacts WHERE case_id = ? ORDER BY due_at", [SQLValue(caseID)])
                .compactMap(Self.contact)
        }
    }

    /// Pending contacts of a victim (scheduled, claimed or queued), for a re-plan.
    public func pendingContacts(victimID: UUID) async throws -> [ContactRecord] {
        try await database.transaction { tx in
            try await tx.query("SELECT \(Self.contactColumns) FROM contacts WHERE victim_id = ? AND state IN ('scheduled', 'claimed', 'queued') ORDER BY due_at",
                               [SQLValue(victimID)]).compactMap(Self.contact)
        }
    }
}

