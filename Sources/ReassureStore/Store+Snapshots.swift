import Foundation
import ReassureCore

extension Store {
    static let snapshotColumns = """
        c.id AS case_id, c.reference, c.unit, c.category, c.priority, c.status, c.opened_at, c.officer_phone,
        v.id AS victim_id, v.ref, v.given_name_enc, v.phone_enc, v.email_enc, v.languages, v.timezone, v.windows,
        v.preferred_channel, v.safe_to_contact, v.consent_status, v.opted_out, v.discreet_contact
        """

    /// The case and its (most recent) victim, decrypted, for planning a message outside the schedule.
    public func snapshot(caseID: UUID) async throws -> CaseSnapshot? {
        let row = try await database.autocommit { tx in
            try await tx.query("""
                SELECT \(Self.snapshotColumns) FROM cases c JOIN victims v ON v.case_id = c.id WHERE c.id = ?
                ORDER BY v.created_at DESC LIMIT 1
                """, [SQLValue(caseID)]).first
        }
        return try row.flatMap(snapshot)
    }

    /// Contacts by id with their case and victim, in one query: the dispatcher's batch read.
    public func dispatchItems(_ contactIDs: [UUID]) async throws -> [UUID: DispatchItem] {
        guard !contactIDs.isEmpty else { return [:] }
        let rows = try await database.autocommit { tx in
            var rows: [SQLRow] = []
            for chunk in contactIDs.chunked(200) {
                let placeholders = chunk.map { _ in "?" }.joined(separator: ", ")
                rows += try await tx.query("""
                    SELECT k.id, k.stage, k.state, k.due_at, k.language, k.channel, k.template_version, k.segments, k.attempts,
                      k.lease_owner, k.lease_expires_at, \(Self.snapshotColumns)
                    FROM contacts k JOIN cases c ON c.id = k.case_id JOIN victims v ON v.id = k.victim_id
                    WHERE k.id IN (\(placeholders))
                    """, chunk.map { SQLValue($0) })
            }
            return rows
        }
        var items: [UUID: DispatchItem] = [:]
        // A victim's contacts tend to be due together: decrypt each victim once per batch.
        var snapshots: [String: CaseSnapshot] = [:]
        for row in rows {
            // The row carries the contact's columns under their own names (case_id, victim_id and
            // unit come from the joined case and victim, which are the contact's).
            guard let victimKey = row.text("victim_id"), let contact = Self.contact(row) else { continue }
            guard let snapshot = try snapshots[victimKey] ?? snapshot(row) else { continue }
            snapshots[victimKey] = snapshot
            items[contact.id] = DispatchItem(contact: contact, snapshot: snapshot)
        }
        return items
    }

    private func snapshot(_ row: SQLRow) throws -> CaseSnapshot? {
        guard let caseID = row.uuid("case_id"),
              let victimID = row.uuid("victim_id") else { return nil }
        return CaseSnapshot(
            caseID: caseID, victimID: victimID, reference: row.text("reference") ?? "", unit: row.text("unit") ?? "",
            category: row.text("category"), priority: row.text("priority") ?? "standard", caseOpen: row.text("status") != "closed",
            openedAt: row.date("opened_at") ?? .distantPast, officerPhone: row.text("officer_phone"), victimRef: row.text("ref") ?? "",
            givenName: try protector.decrypt(row.bytes("given_name_enc")), phone: try protector.decrypt(row.bytes("phone_enc")),
            email: try protector.decrypt(row.bytes("email_enc")),
            languages: (row.text("languages") ?? "").split(separator: ",").map(String.init), timezone: row.text("timezone") ?? "",
            windowsJSON: row.text("windows") ?? "[]", preferredChannel: row.text("preferred_channel"),
            safeToContact: row.text("safe_to_contact") ?? "unknown", consentStatus: row.text("consent_status") ?? "unknown",
            optedOut: row.int("opted_out") == 1, discreetContact: row.int("discreet_contact") == 1)
    }
}

extension Store {
    /// Every contact of a case with its timings, in due order.
    public func contactHistory(caseID: UUID) async throws -> [ContactHistory] {
        try await database.transaction { tx in
            try await tx.query("""
                SELECT id, stage, label, state, due_at, sent_at, delivered_at, language, channel, template_version, segments, attempts, last_error
                FROM contacts WHERE case_id = ? ORDER BY due_at, created_at
                """, [SQLValue(caseID)]).compactMap { row in
                guard let id = row.uuid("id"), let state = row.text("state").flatMap(ContactState.init(rawValue:))
                else { return nil }
                return ContactHistory(
                    id: id, stage: row.text("stage") ?? "", label: row.text("label") ?? "", state: state, dueAt: row.date("due_at") ?? .distantPast,
                    sentAt: row.date("sent_at"), deliveredAt: row.date("delivered_at"), language: row.text("language") ?? "",
                    channel: row.text("channel") ?? "", templateVersion: row.text("template_version") ?? "", segments: Int(row.int("segments") ?? 0),
                    attempts: Int(row.int("attempts") ?? 0), lastError: row.text("last_error"))
            }
        }
    }
}

extension Store {
    /// Milliseconds from due to sent for every sent contact (benchmarks and reports).
    public func dueToSentMilliseconds() async throws -> [Double] {
        try await database.transaction { tx in
            try await tx.query("SELECT due_at, sent_at FROM contacts WHERE sent_at IS NOT NULL", []).compactMap { row in
                guard let due = row.date("due_at"), let sent = row.date("sent_at") else { return nil }
                return sent.timeIntervalSince(due) * 1000
            }
        }
    }
}

extension Store {
    /// Contacts due but not yet handed to a gateway, and how long the oldest has waited (seconds
    /// of clock time): the operator's first sign that workers are missing or stuck.
    public func dueBacklog(now: Date) async throws -> (count: Int, oldestAge: TimeInterval) {
        try await database.transaction { tx in
            let row = try await tx.query("""
                SELECT COUNT(*) AS n, MIN(due_at) AS oldest FROM contacts WHERE state IN ('scheduled', 'claimed', 'queued') AND due_at <= ?
                """, [SQLValue(now)]).first
            return (Int(row?.int("n") ?? 0), row?.date("oldest").map { now.timeIntervalSince($0) } ?? 0)
        }
    }
}

/// The store side of `reassure status`: no personal data, only counts.
public struct StoreSummary: Sendable, Equatable {
    /// Contacts per state.
    public var contacts: [String: Int]
    /// Contacts sent or delivered, per "channel/language".
    public var reached: [String: Int]
    /// Open tasks per kind.
    public var openTasks: [String: Int]
    public var dueBacklog: Int
    public var oldestDueAge: TimeInterval
    public var outboxDepth: Int
}

extension Store {
    public func summary(now: Date = Date()) async throws -> StoreSummary {
        let backlog = try await dueBacklog(now: now)
        let outbox = try await outboxDepth(now: now)
        return try await database.transaction { tx in
            var contacts: [String: Int] = [:]
            var reached: [String: Int] = [:]
            for row in try await tx.query("SELECT state, channel, language, COUNT(*) AS n FROM contacts GROUP BY state, channel, language", []) {
                let count = Int(row.int("n") ?? 0)
                let state = row.text("state") ?? "?"
                contacts[state, default: 0] += count
                if state == "sent" || state == "delivered" { reached["\(row.text("channel") ?? "?")/\(row.text("language") ?? "?")", default: 0] += count }
            }
            var tasks: [String: Int] = [:]
            for row in try await tx.query("SELECT kind, COUNT(*) AS n FROM tasks WHERE status = 'open' GROUP BY kind", []) {
                tasks[row.text("kind") ?? "?"] = Int(row.int("n") ?? 0)
            }
            return StoreSummary(contacts: contacts, reached: reached, openTasks: tasks, dueBacklog: backlog.count, oldestDueAge: backlog.oldestAge,
                                outboxDepth: outbox.count)
        }
    }
}
