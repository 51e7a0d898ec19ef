import Foundation
import ReassureCore

extension Store {
    /// Reads a victim's personal data, decrypted. Every such read is audited with who and why.
    public func victim(_ id: UUID, actor: String, reason: String, at now: Date = Date()) async throws -> VictimRecord? {
        let row = try await database.transaction { tx -> SQLRow? in
            let row = try await tx.query("""
                SELECT id, case_id, ref, given_name_enc, phone_enc, email_enc, languages, timezone, opted_out FROM victims WHERE id = ?
                """, [SQLValue(id)]).first
            if row != nil {
                try await Self.audit(actor: actor, action: "read_personal_data", subject: "victim \(id.uuidString)", reason: reason, at: now, tx)
            }
            return row
        }
        guard let row else { return nil }
        return VictimRecord(
            id: id, caseID: row.uuid("case_id") ?? id, ref: row.text("ref") ?? "",
            givenName: try protector.decrypt(row.bytes("given_name_enc")), phone: try protector.decrypt(row.bytes("phone_enc")),
            email: try protector.decrypt(row.bytes("email_enc")),
            languages: (row.text("languages") ?? "").split(separator: ",").map(String.init), timezone: row.text("timezone") ?? "",
            optedOut: row.int("opted_out") == 1)
    }

    /// Finds the victim who sent an inbound reply, through the blind index (the number itself is
    /// never stored in clear). The most recent case wins when a number appears on several.
    public func victimID(forPhone phone: String) async throws -> (victimID: UUID, caseID: UUID)? {
        let index = protector.blindIndex(phone: phone)
        return try await database.transaction { tx in
            try await tx.query("SELECT id, case_id FROM victims WHERE phone_index = ? ORDER BY created_at DESC LIMIT 1", [.text(index)])
                .first.flatMap { row in
                    guard let id = row.uuid("id"),
                          let caseID = row.uuid("case_id") else { return nil }
                    return (id, caseID)
                }
        }
    }

    /// Opt-out (cancelling every pending contact) or opt back in; returns contacts cancelled.
    public func setOptedOut(_ victimID: UUID, _ optedOut: Bool, actor: String, at now: Date = Date()) async throws -> Int {
        try await database.transaction { tx in
            try await tx.query("UPDATE victims SET opted_out = ?, updated_at = ? WHERE id = ?",
                               [SQLValue(optedOut), SQLValue(now), SQLValue(victimID)])
            try await Self.audit(actor: actor, action: optedOut ? "opt_out" : "opt_in", subject: "victim \(victimID.uuidString)",
                                 reason: "victim's request", at: now, tx)
            return optedOut ? try await Self.cancelPending(where: "victim_id = ?", [SQLValue(victimID)], at: now, tx) : 0
        }
    }

    /// Keeps a reply (text encrypted) with what it was understood to mean.
    public func recordReply(victimID: UUID, text: String, intent: String, at now: Date = Date()) async throws {
        let sealed = try protector.encrypt(text)
        try await database.transaction { tx in
            try await tx.query("INSERT INTO replies (id, victim_id, text_enc, intent, received_at) VALUES (?, ?, ?, ?, ?)",
                               [SQLValue(UUID.timeOrdered()), SQLValue(victimID), SQLValue(sealed), .text(intent), SQLValue(now)])
        }
    }

    /// The replies of a victim, decrypted; audited like any read of personal data.
    public func replies(victimID: UUID, actor: String, reason: String, at now: Date = Date()) async throws -> [(text: String, intent: String)] {
        let rows = try await database.transaction { tx in
            try await Self.audit(actor: actor, action: "read_personal_data", subject: "replies of victim \(victimID.uuidString)",
                                 reason: reason, at: now, tx)
            return try await tx.query("SELECT text_enc, intent FROM replies WHERE victim_id = ? ORDER BY received_at", [SQLValue(victimID)])
        }
        return try rows.map { (try protector.decrypt($0.bytes("text_enc")) ?? "", $0.text("intent") ?? "") }
    }
}
