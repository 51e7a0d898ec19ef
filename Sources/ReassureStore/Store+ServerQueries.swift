import Foundation
import ReassureCore

/// An API token as operators see it: never the token itself (only its hash is stored).
public struct TokenRecord: Sendable, Equatable {
    public var name: String
    public var role: String
    public var createdAt: Date
    public var revokedAt: Date?
}

/// A case as the read API shows it: the plan, contacts, attempts, outcomes, replies and tasks.
/// Personal data is masked unless it was read with `reveal` (which is audited).
public struct CaseView: Sendable, Encodable {
    public var id: UUID
    public var reference: String
    public var unit: String
    public var category: String?
    public var priority: String
    public var status: String
    public var outcomeCode: String?
    public var openedAt: Date
    public var closedAt: Date?
    /// True when personal data below is in clear (and the read was audited).
    public var revealed: Bool
    public var victims: [VictimView]
    public var contacts: [ContactView]
    public var tasks: [TaskView]
}

public struct VictimView: Sendable, Encodable {
    public var id: UUID
    public var ref: String
    public var givenName: String?
    public var phone: String?
    public var email: String?
    public var languages: [String]
    public var timezone: String
    public var preferredChannel: String?
    public var safeToContact: String
    public var consentStatus: String
    public var optedOut: Bool
    public var discreetContact: Bool
    public var replies: [ReplyView]
}

public struct ReplyView: Sendable, Encodable {
    public var text: String?
    public var intent: String
    public var receivedAt: Date
}

public struct ContactView: Sendable, Encodable {
    public var id: UUID
    public var stage: String
    public var label: String
    public var state: String
    public var dueAt: Date
    public var language: String
    public var channel: String
    public var templateVersion: String
    public var segments: Int
    public var attemptCount: Int
    public var sentAt: Date?
    public var deliveredAt: Date?
    public var lastError: String?
    public var attempts: [AttemptView]
}

public struct AttemptView: Sendable, Encodable {
    public var idempotencyKey: String
    public var number: Int
    public var channel: String
    public var status: String
    public var providerMessageId: String?
    public var error: String?
    public var startedAt: Date
    public var finishedAt: Date?
}

/// An open (or done) task for a person, with the case it belongs to.
public struct TaskView: Sendable, Encodable {
    public var id: UUID
    public var caseId: UUID
    public var caseReference: String
    public var unit: String
    public var kind: String
    public var reason: String
    public var language: String?
    public var status: String
    public var createdAt: Date
}

extension Store {
    /// Every token, newest first, with its role and whether it was revoked.
    public func tokens() async throws -> [TokenRecord] {
        try await database.transaction { tx in
            try await tx.query("SELECT name, role, created_at, revoked_at FROM api_tokens ORDER BY created_at DESC, name", []).map {
                TokenRecord(name: $0.text("name") ?? "", role: $0.text("role") ?? "", createdAt: $0.date("created_at") ?? .distantPast,
                            revokedAt: $0.date("revoked_at"))
            }
        }
    }

    /// The cases with a police reference (one per unit that used it).
    public func cases(reference: String) async throws -> [(id: UUID, unit: String)] {
        try await database.transaction { tx in
            try await tx.query("SELECT id, unit FROM cases WHERE reference = ? ORDER BY unit", [.text(reference)]).compactMap { row in
                row.uuid("id").map { ($0, row.text("unit") ?? "") }
            }
        }
    }

    /// One case with everything that happened to it. With `reveal`, names, numbers, addresses and
    /// reply texts come back in clear and the read is audited as `actor` with `reason`; without,
    /// they are masked (`+27•••••67`, `a•••@example.org`), so a glance shows which exist.
    public func caseView(id caseID: UUID, reveal: Bool, actor: String, reason: String, at now: Date = Date()) async throws -> CaseView? {
        let id = SQLValue(caseID)
        let loaded = try await database.transaction { tx -> (SQLRow, [SQLRow], [SQLRow], [SQLRow], [SQLRow], [SQLRow])? in
            guard let caseRow = try await tx.query("SELECT * FROM cases WHERE id = ?", [id]).first else { return nil }
            let victims = try await tx.query("SELECT * FROM victims WHERE case_id = ? ORDER BY created_at", [id])
            let contacts = try await tx.query("SELECT * FROM contacts WHERE case_id = ? ORDER BY due_at, id", [id])
            let attempts = try await tx.query("""
                SELECT a.* FROM attempts a JOIN contacts c ON c.id = a.contact_id WHERE c.case_id = ? ORDER BY a.started_at, a.number
                """, [id])
            let replies = try await tx.query("""
                SELECT r.* FROM replies r JOIN victims v ON v.id = r.victim_id WHERE v.case_id = ? ORDER BY r.received_at
                """, [id])
            let tasks = try await tx.query("SELECT * FROM tasks WHERE case_id = ? ORDER BY created_at", [id])
            if reveal {
                try await Self.audit(actor: actor, action: "read_personal_data", subject: "case \(caseID.uuidString)", reason: reason, at: now, tx)
            }
            return (caseRow, victims, contacts, attempts, replies, tasks)
        }
        guard let (caseRow, victimRows, contactRows, attemptRows, replyRows, taskRows) = loaded else { return nil }
        let reference = caseRow.text("reference") ?? ""
        let unit = caseRow.text("unit") ?? ""
        let show: (String?, (String) -> String) -> String? = { value, mask in value.map { reveal ? $0 : mask($0) } }
        let repliesByVictim = Dictionary(grouping: try replyRows.map { row in
            (row.text("victim_id") ?? "",
             ReplyView(text: show(try protector.decrypt(row.bytes("text_enc")), PersonalDataMask.text), intent: row.text("intent") ?? "",
                       receivedAt: row.date("received_at") ?? .distantPast))
        }, by: \.0)
        let victims = try victimRows.map { row in
            let victimID = row.text("id") ?? ""
            return VictimView(
                id: UUID(uuidString: victimID) ?? caseID, ref: row.text("ref") ?? "",
                givenName: show(try protector.decrypt(row.bytes("given_name_enc")), PersonalDataMask.name),
                phone: show(try protector.decrypt(row.bytes("phone_enc")), PersonalDataMask.phone),
                email: show(try protector.decrypt(row.bytes("email_enc")), PersonalDataMask.email),
                languages: (row.text("languages") ?? "").split(separator: ",").map(String.init), timezone: row.text("timezone") ?? "",
                preferredChannel: row.text("preferred_channel"), safeToContact: row.text("safe_to_contact") ?? "",
                consentStatus: row.text("consent_status") ?? "", optedOut: row.int("opted_out") == 1,
                discreetContact: row.int("discreet_contact") == 1, replies: repliesByVictim[victimID, default: []].map(\.1))
        }
        let attemptsByContact = Dictionary(grouping: attemptRows, by: { $0.text("contact_id") ?? "" })
        let contacts = contactRows.map { row in
            ContactView(
                id: row.uuid("id") ?? caseID, stage: row.text("stage") ?? "", label: row.text("label") ?? "",
                state: row.text("state") ?? "", dueAt: row.date("due_at") ?? .distantPast, language: row.text("language") ?? "",
                channel: row.text("channel") ?? "", templateVersion: row.text("template_version") ?? "",
                segments: Int(row.int("segments") ?? 0), attemptCount: Int(row.int("attempts") ?? 0), sentAt: row.date("sent_at"),
                deliveredAt: row.date("delivered_at"), lastError: row.text("last_error"),
                attempts: attemptsByContact[row.text("id") ?? "", default: []].map { attempt in
                    AttemptView(idempotencyKey: attempt.text("idempotency_key") ?? "", number: Int(attempt.int("number") ?? 0),
                                channel: attempt.text("channel") ?? "", status: attempt.text("status") ?? "",
                                providerMessageId: attempt.text("provider_message_id"), error: attempt.text("error"),
                                startedAt: attempt.date("started_at") ?? .distantPast, finishedAt: attempt.date("finished_at"))
                })
        }
        let tasks = taskRows.map { Self.taskView($0, reference: reference, unit: unit) }
        return CaseView(
            id: caseID, reference: reference, unit: unit, category: caseRow.text("category"), priority: caseRow.text("priority") ?? "",
            status: caseRow.text("status") ?? "", outcomeCode: caseRow.text("outcome_code"), openedAt: caseRow.date("opened_at") ?? .distantPast,
            closedAt: caseRow.date("closed_at"), revealed: reveal, victims: victims, contacts: contacts, tasks: tasks)
    }

    /// Open tasks for people, oldest first, each with its case's reference and unit; optionally
    /// only one kind (`callback`, `interpreter`, …).
    public func openTaskViews(kind: String? = nil, limit: Int = 500) async throws -> [TaskView] {
        try await database.transaction { tx in
            var binds: [SQLValue] = []
            var filter = ""
            if let kind {
                filter = " AND t.kind = ?"
                binds.append(.text(kind))
            }
            return try await tx.query("""
                SELECT t.*, c.reference AS case_reference, c.unit AS case_unit FROM tasks t JOIN cases c ON c.id = t.case_id
                WHERE t.status = 'open'\(filter) ORDER BY t.created_at LIMIT ?
                """, binds + [SQLValue(limit)])
                .map { Self.taskView($0, reference: $0.text("case_reference") ?? "", unit: $0.text("case_unit") ?? "") }
        }
    }

    static func taskView(_ row: SQLRow, reference: String, unit: String) -> TaskView {
        TaskView(id: row.uuid("id") ?? UUID(), caseId: row.uuid("case_id") ?? UUID(),
                 caseReference: reference, unit: unit, kind: row.text("kind") ?? "", reason: row.text("reason") ?? "",
                 language: row.text("language"), status: row.text("status") ?? "", createdAt: row.date("created_at") ?? .distantPast)
    }
}

/// How personal data looks when it is not revealed: enough to see that it exists and to tell
/// two apart at a glance, not enough to contact anyone.
public enum PersonalDataMask {
    public static func phone(_ value: String) -> String {
        let characters = Array(value)
        guard characters.count > 6 else { return String(repeating: "•", count: characters.count) }
        return String(characters.prefix(3)) + String(repeating: "•", count: characters.count - 5) + String(characters.suffix(2))
    }

    public static func email(_ value: String) -> String {
        guard let at = value.firstIndex(of: "@"), at > value.startIndex else { return "•••" }
        return String(value[value.startIndex]) + "•••" + String(value[at...])
    }

    public static func name(_ value: String) -> String {
        value.first.map { String($0) + "•••" } ?? ""
    }

    public static func text(_ value: String) -> String {
        "••• (\(value.count) characters)"
    }
}
