import Foundation

extension Store {
    public struct PurgeReport: Sendable, Equatable {
        public var cases: Int
        public var victims: Int
        public var replies: Int
        public var dryRun: Bool
    }

    /// Deletes the personal data of cases closed — or silent — before `cutoff`: names, numbers,
    /// addresses and replies go; anonymous counts (unit, category, language, channel, outcome)
    /// stay for reports. Records itself in the audit log. `dryRun` only counts.
    public func purge(before cutoff: Date, dryRun: Bool, actor: String, at now: Date = Date()) async throws -> PurgeReport {
        try await database.transaction { tx in
            let due = try await tx.query("""
                SELECT id FROM cases WHERE purged_at IS NULL
                  AND ((status = 'closed' AND closed_at < ?) OR (status = 'open' AND last_activity_at < ?))
                """, [SQLValue(cutoff), SQLValue(cutoff)]).compactMap { $0.text("id") }
            var report = PurgeReport(cases: due.count, victims: 0, replies: 0, dryRun: dryRun)
            for caseID in due {
                let victims = try await tx.query("SELECT id FROM victims WHERE case_id = ?", [.text(caseID)]).compactMap { $0.text("id") }
                report.victims += victims.count
                for victim in victims {
                    report.replies += Int(try await tx.query("SELECT COUNT(*) AS n FROM replies WHERE victim_id = ?", [.text(victim)]).first?.int("n") ?? 0)
                }
                guard !dryRun else { continue }
                try await tx.query("""
                    INSERT INTO anonymous_counts (unit, category, language, channel, state, count)
                    SELECT c.unit, COALESCE(k.category, ''), c.language, c.channel, c.state, COUNT(*) FROM contacts c JOIN cases k ON k.id = c.case_id
                    WHERE c.case_id = ? GROUP BY c.unit, k.category, c.language, c.channel, c.state
                    ON CONFLICT (unit, category, language, channel, state) DO UPDATE SET count = anonymous_counts.count + excluded.count
                    """, [.text(caseID)])
                try await tx.query("DELETE FROM replies WHERE victim_id IN (SELECT id FROM victims WHERE case_id = ?)", [.text(caseID)])
                try await tx.query("""
                    UPDATE victims SET given_name_enc = NULL, phone_enc = NULL, email_enc = NULL, phone_index = NULL, ref = 'purged',
                      windows = '[]', updated_at = ? WHERE case_id = ?
                    """, [SQLValue(now), .text(caseID)])
                try await tx.query("UPDATE cases SET purged_at = ?, reference = 'purged-' || id WHERE id = ?", [SQLValue(now), .text(caseID)])
                try await Self.audit(actor: actor, action: "purge_personal_data", subject: "case \(caseID)", reason: "retention period passed", at: now, tx)
            }
            try await Self.audit(actor: actor, action: dryRun ? "purge_dry_run" : "purge", subject: "\(due.count) cases",
                                 reason: "retention cutoff \(ISO8601DateFormatter().string(from: cutoff))", at: now, tx)
            return report
        }
    }

    /// Re-encrypts every personal value under the current key and rebuilds the blind index;
    /// returns how many rows changed. Run after putting a new key first in `REASSURE_DATA_KEY`.
    public func reencryptAll(actor: String, at now: Date = Date()) async throws -> Int {
        let protector = self.protector
        return try await database.transaction { tx in
            var changed = 0
            for row in try await tx.query("SELECT id, given_name_enc, phone_enc, email_enc FROM victims", []) {
                let name = try protector.decrypt(row.bytes("given_name_enc")), phone = try protector.decrypt(row.bytes("phone_enc"))
                let email = try protector.decrypt(row.bytes("email_enc"))
                try await tx.query("UPDATE victims SET given_name_enc = ?, phone_enc = ?, email_enc = ?, phone_index = ? WHERE id = ?",
                                   [SQLValue(try protector.encrypt(name)), SQLValue(try protector.encrypt(phone)), SQLValue(try protector.encrypt(email)),
                                    SQLValue(phone.map(protector.blindIndex(phone:))), .text(row.text("id") ?? "")])
                changed += 1
            }
            for row in try await tx.query("SELECT id, text_enc FROM replies", []) {
                try await tx.query("UPDATE replies SET text_enc = ? WHERE id = ?",
                                   [SQLValue(try protector.encrypt(try protector.decrypt(row.bytes("text_enc")))), .text(row.text("id") ?? "")])
                changed += 1
            }
            // Only unsent events have a payload (see `markOutboxSent`).
            for row in try await tx.query("SELECT sequence, payload_enc FROM outbox_payloads", []) {
                try await tx.query("UPDATE outbox_payloads SET payload_enc = ? WHERE sequence = ?",
                                   [SQLValue(try protector.encrypt(try protector.decrypt(row.bytes("payload_enc")))), .int(row.int("sequence") ?? 0)])
                changed += 1
            }
            try await Self.audit(actor: actor, action: "rotate_keys", subject: "\(changed) rows", reason: "re-encrypted under key \(protector.currentKeyID)", at: now, tx)
            return changed
        }
    }
}
