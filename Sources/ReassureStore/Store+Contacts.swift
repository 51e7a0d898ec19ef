import Foundation
import ReassureCore

extension Store {
    static let contactColumns = """
        id, case_id, victim_id, unit, stage, state, due_at, language, channel, template_version, segments, attempts,
        lease_owner, lease_expires_at
        """
    /// The same columns named through the table, for statements that join another relation.
    static let qualifiedContactColumns = contactColumns.split(separator: ",")
        .map { "contacts." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")

    /// Claims up to `limit` due contacts for `owner` until `now + lease`, at most `perUnit` from
    /// any one unit, so one unit's backlog cannot starve another's. Claimed contacts are nobody
    /// else's while the lease holds (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: the write lock).
    /// `maxInFlight` caps the contacts claimed or queued at once (counted in the same
    /// transaction): a backlog stays in the store, where each claim takes fairly from every unit.
    public func claimDueContacts(now: Date, limit requested: Int, perUnit: Int, owner: String, lease: TimeInterval,
                                 maxInFlight: Int? = nil) async throws -> [ContactRecord] {
        let dialect = database.dialect
        return try await database.transaction { tx in
            var limit = requested
            if let maxInFlight {
                let inFlight = try await tx.query("SELECT COUNT(*) AS n FROM contacts WHERE state IN ('claimed', 'queued')", []).first?.int("n") ?? 0
                limit = min(limit, maxInFlight - Int(inFlight))
                guard limit > 0 else { return [] }
            }
            // A fair pool (at most `perUnit` per unit, earliest first), then up to `limit` of it that
            // no concurrent claimer holds. On PostgreSQL the pick is a materialized CTE: as an
            // `IN (…)` subquery, `LIMIT … FOR UPDATE SKIP LOCKED` may be evaluated more than once
            // under concurrent claims and then hands out more than `limit` rows, or none.
            let rows: [SQLRow]
            let set = "state = 'claimed', lease_owner = ?, lease_expires_at = ?, updated_at = ?"
            let setBinds = [SQLValue.text(owner), SQLValue(now.addingTimeInterval(lease)), SQLValue(now)]
            let pickBinds = [SQLValue(now), SQLValue(perUnit), SQLValue(limit * 4), SQLValue(limit)]
            let pool = dialect == .postgres ? """
                SELECT id FROM (SELECT id, due_at, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY due_at) AS unit_rank
                                FROM contacts WHERE state = 'scheduled' AND due_at <= ?) ranked
                WHERE unit_rank <= ? ORDER BY due_at LIMIT ?
                """ : """
                WITH RECURSIVE units(unit) AS (
                  SELECT MIN(unit) FROM contacts WHERE state = 'scheduled'
                  UNION ALL SELECT (SELECT MIN(unit) FROM contacts WHERE state = 'scheduled' AND unit > units.unit)
                  FROM units WHERE units.unit IS NOT NULL)
                SELECT due.id FROM units JOIN contacts due ON due.id IN (
                  SELECT id FROM contacts WHERE state = 'scheduled' AND unit = units.unit AND due_at <= ? ORDER BY due_at LIMIT ?)
                ORDER BY due.due_at LIMIT ?
                """
            if dialect == .postgres {
                rows = try await tx.query("""
                    WITH picked AS MATERIALIZED (
                      SELECT id FROM contacts WHERE state = 'scheduled' AND id IN (\(pool))
                      ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED)
                    UPDATE contacts SET \(set) FROM picked
                    WHERE contacts.id = picked.id AND contacts.state = 'scheduled'
                    RETURNING \(Self.qualifiedContactColumns)
                    """, pickBinds + setBinds)
            } else {
                rows = try await tx.query("""
                    UPDATE contacts SET \(set)
                    WHERE state = 'scheduled' AND id IN (
                      SELECT id FROM contacts WHERE state = 'scheduled' AND id IN (\(pool)) ORDER BY due_at LIMIT ?)
                    RETURNING \(Self.contactColumns)
                    """, setBinds + pickBinds)
            }
            return rows.compactMap(Self.contact).sorted { $0.dueAt < $1.dueAt }
        }
    }

    /// Moves a contact from `from` to `to` only if it is still in `from` (compare-and-set).
    /// Returns false when someone else moved it first; throws `.illegalTransition` for a move
    /// the state machine forbids. `dueAt` reschedules (for moves back to `scheduled`).
    @discardableResult
    public func transition(_ contactID: UUID, from: ContactState, to: ContactState, at now: Date = Date(),
                           dueAt: Date? = nil, error: String? = nil) async throws -> Bool {
        guard from.canMove(to: to) else {
            throw StoreError(.illegalTransition, "a contact cannot move from \(from.rawValue) to \(to.rawValue)")
        }
        return try await database.transaction { tx in
            try await Self.move(contactID, from: from, to: to, at: now, dueAt: dueAt, error: error, tx)
        }
    }

    static func move(_ contactID: UUID, from: ContactState, to: ContactState, at now: Date, dueAt: Date?, error: String?,
                     _ tx: any SQLTransaction) async throws -> Bool {
        let releasesLease = to != .claimed && to != .queued
        let rows = try await tx.query("""
            UPDATE contacts SET state = ?, updated_at = ?, due_at = COALESCE(?, due_at), last_error = COALESCE(?, last_error),
              lease_owner = CASE WHEN ? = 1 THEN NULL ELSE lease_owner END,
              lease_expires_at = CASE WHEN ? = 1 THEN NULL ELSE lease_expires_at END,
              sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END,
              delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END
            WHERE id = ? AND state = ? RETURNING id
            """, [.text(to.rawValue), SQLValue(now), SQLValue(dueAt), SQLValue(error), SQLValue(releasesLease), SQLValue(releasesLease),
                  .text(to.rawValue), SQLValue(now), .text(to.rawValue), SQLValue(now), SQLValue(contactID), .text(from.rawValue)])
        return !rows.isEmpty
    }

    /// Moves a queued contact to `sending` and opens its next attempt, whose idempotency key
    /// (contact id + attempt number) the gateway deduplicates on. `nil` when the contact was not
    /// queued any more. Call this before calling the gateway.
    public func beginAttempt(_ contactID: UUID, channel: String, at now: Date = Date()) async throws -> Attempt? {
        try await database.transaction { tx in
            let rows = try await tx.query("""
                UPDATE contacts SET state = 'sending', attempts = attempts + 1, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND state = 'queued' RETURNING attempts
                """, [SQLValue(now), SQLValue(contactID)])
            guard let number = rows.first?.int("attempts") else { return nil }
            return try await Self.open(Attempt(contactID: contactID, number: Int(number), channel: channel), at: now, tx)
        }
    }

    /// The attempt a crashed dispatcher left in `sending`, to re-send with the same key.
    public func currentAttempt(_ contactID: UUID) async throws -> Attempt? {
        try await database.transaction { tx in
            try await tx.query("SELECT idempotency_key, number, channel FROM attempts WHERE contact_id = ? ORDER BY number DESC LIMIT 1",
                               [SQLValue(contactID)]).first.map {
                Attempt(contactID: contactID, number: Int($0.int("number") ?? 0), idempotencyKey: $0.text("idempotency_key") ?? "",
                        channel: $0.text("channel") ?? "")
            }
        }
    }

    /// Records gateway results for many attempts in one transaction, a few statements per 200
    /// outcomes. A contact only moves forward (a late `sent` never overwrites `delivered`);
    /// returns how many contacts moved.
    @discardableResult
    public func recordOutcomes(_ outcomes: [AttemptOutcome]) async throws -> Int {
        try await record(outcomes).moved
    }

    /// Records provider receipts like `recordOutcomes`, in the same transaction learning which
    /// keys the store knows no attempt for (a receipt that overtook the record of its send);
    /// returns those keys, for the caller to retry later.
    public func recordReceipts(_ outcomes: [AttemptOutcome]) async throws -> Set<String> {
        let known = try await record(outcomes).known
        return Set(outcomes.map(\.idempotencyKey)).subtracting(known)
    }

    private func record(_ outcomes: [AttemptOutcome]) async throws -> (moved: Int, known: Set<String>) {
        // Several results for one attempt in a batch: keep the most advanced (then the latest).
        func rank(_ status: AttemptOutcome.Status) -> Int { status == .sent ? 1 : 2 }
        var latest: [String: AttemptOutcome] = [:]
        for outcome in outcomes {
            if let seen = latest[outcome.idempotencyKey],
               (rank(seen.status), seen.at) > (rank(outcome.status), outcome.at) { continue }
            latest[outcome.idempotencyKey] = outcome
        }
        let collapsed = Array(latest.values)
        guard !collapsed.isEmpty else { return (0, []) }
        return try await database.transaction { tx in
            var moved = 0
            var known: Set<String> = []
            for chunk in collapsed.chunked(200) {
                // Rows of NULLs match no attempt: padded to a power of two, the statements'
                // texts come in a few sizes and stay prepared (preparing them for every odd
                // batch size was the most costly SQL of `bench pipeline`).
                let padded = tx.paddedCount(chunk.count, limit: 200)
                let values = "(VALUES \(Self.rows(padded, width: 5))) AS o"
                let binds = chunk.flatMap { [SQLValue.text($0.idempotencyKey), .text($0.status.rawValue), SQLValue($0.providerMessageID),
                                             SQLValue($0.error), SQLValue($0.at)] } + Array(repeating: .null, count: (padded - chunk.count) * 5)
                known.formUnion(try await tx.query("""
                    UPDATE attempts SET status = o.column2, provider_message_id = COALESCE(o.column3, attempts.provider_message_id),
                      error = o.column4, finished_at = o.column5
                    FROM \(values) WHERE attempts.idempotency_key = o.column1
                    RETURNING attempts.idempotency_key
                    """, binds).compactMap { $0.text("idempotency_key") })
                let movedHere = try await tx.query("""
                    UPDATE contacts SET state = o.column2, updated_at = o.column5, last_error = COALESCE(o.column4, contacts.last_error),
                      sent_at = CASE WHEN o.column2 = 'sent' THEN o.column5 ELSE contacts.sent_at END,
                      delivered_at = CASE WHEN o.column2 = 'delivered' THEN o.column5 ELSE contacts.delivered_at END
                    FROM \(values) JOIN attempts a ON a.idempotency_key = o.column1
                    WHERE contacts.id = a.contact_id AND ((o.column2 = 'sent' AND contacts.state = 'sending')
                      OR (o.column2 IN ('delivered', 'failed') AND contacts.state IN ('sending', 'sent')))
                    RETURNING contacts.id
                    """, binds).count
                moved += movedHere
                if movedHere < chunk.count, chunk.contains(where: { $0.status == .sent }) {
                    // The provider's receipt can overtake the dispatcher's own record of the send:
                    // the contact is already delivered, but when it was sent is still worth keeping.
                    try await tx.query("""
                        UPDATE contacts SET sent_at = o.column5
                        FROM \(values) JOIN attempts a ON a.idempotency_key = o.column1
                        WHERE contacts.id = a.contact_id AND o.column2 = 'sent' AND contacts.sent_at IS NULL
                          AND contacts.state IN ('delivered', 'failed')
                        """, binds)
                }
            }
            return (moved, known)
        }
    }

    /// Claims whose lease ran out (a crashed or stuck clock worker) go back to `scheduled`.
    @discardableResult
    public func releaseExpiredLeases(now: Date) async throws -> Int {
        try await database.transaction { tx in
            try await tx.query("""
                UPDATE contacts SET state = 'scheduled', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                WHERE state IN ('claimed', 'queued') AND lease_expires_at < ? RETURNING id
                """, [SQLValue(now), SQLValue(now)]).count
        }
    }

    /// Cancels every pending contact of a victim (opt-out); returns how many.
    public func cancelPending(victimID: UUID, at now: Date = Date()) async throws -> Int {
        try await database.transaction { tx in
            try await Self.cancelPending(where: "victim_id = ?", [SQLValue(victimID)], at: now, tx)
        }
    }

    /// The confirmation of an opt-out is never cancelled: it answers the victim's own request.
    static func cancelPending(where condition: String, _ binds: [SQLValue], at now: Date, _ tx: any SQLTransaction) async throws -> Int {
        try await tx.query("""
            UPDATE contacts SET state = 'cancelled', updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
            WHERE \(condition) AND state IN ('scheduled', 'claimed', 'queued') AND stage <> 'opt_out_confirmation' RETURNING id
            """, [SQLValue(now)] + binds).count
    }

    public func contact(_ id: UUID) async throws -> ContactRecord? {
        try await database.autocommit { tx in
            try await tx.query("SELECT \(Self.contactColumns) FROM contacts WHERE id = ?", [SQLValue(id)]).first.flatMap(Self.contact)
        }
    }

    /// Contacts per state (for status and tests).
    public func contactCounts() async throws -> [ContactState: Int] {
        try await database.autocommit { tx in
            var counts: [ContactState: Int] = [:]
            for row in try await tx.query("SELECT state, COUNT(*) AS n FROM contacts GROUP BY state", []) {
                if let state = row.text("state").flatMap(ContactState.init(rawValue:)) { counts[state] = Int(row.int("n") ?? 0) }
            }
            return counts
        }
    }

    /// All contacts, and those still on their way (scheduled to sent), counted through the
    /// partial indexes alone: cheap enough to poll while work runs, where `contactCounts` reads
    /// every row.
    public func openContactCount() async throws -> (total: Int, open: Int) {
        try await database.autocommit { tx in
            let row = try await tx.query("""
                SELECT (SELECT COUNT(*) FROM contacts) AS total,
                  (SELECT COUNT(*) FROM contacts WHERE state = 'scheduled') + (SELECT COUNT(*) FROM contacts WHERE state IN ('claimed', 'queued'))
                  + (SELECT COUNT(*) FROM contacts WHERE state IN ('sending', 'sent')) AS open
                """, []).first
            return (Int(row?.int("total") ?? 0), Int(row?.int("open") ?? 0))
        }
    }

    static func contact(_ row: SQLRow) -> ContactRecord? {
        guard let id = row.uuid("id"), let caseID = row.uuid("case_id"),
              let victimID = row.uuid("victim_id"),
              let state = row.text("state").flatMap(ContactState.init(rawValue:)), let due = row.date("due_at") else { return nil }
        return ContactRecord(
            id: id, caseID: caseID, victimID: victimID, unit: row.text("unit") ?? "", stage: row.text("stage") ?? "", state: state,
            dueAt: due, language: row.text("language") ?? "", channel: row.text("channel") ?? "",
            templateVersion: row.text("template_version") ?? "", segments: Int(row.int("segments") ?? 0),
            attempts: Int(row.int("attempts") ?? 0), leaseOwner: row.text("lease_owner"), leaseExpiresAt: row.date("lease_expires_at"))
    }
}
