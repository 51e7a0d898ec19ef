import Foundation
import ReassureCore

/// Effects of the scheduler's events other than `case.reported`, each in one transaction with
/// the event id, so a redelivered event changes nothing (the methods return false then).
extension Store {
    /// Adds contacts and tasks to a case for event `eventID` (an update message).
    public func addContacts(eventID: String, _ contacts: [NewContact], tasks: [NewTask], caseID: UUID, victimID: UUID, unit: String,
                            at now: Date = Date()) async throws -> Bool {
        try await once(eventID, at: now) { tx in
            try await Self.insertContacts(contacts, caseID: caseID, victimID: victimID, unit: unit, at: now, tx)
            try await Self.insertTasks(tasks, caseID: caseID, at: now, tx)
            try await tx.query("UPDATE cases SET last_activity_at = ? WHERE id = ?", [SQLValue(now), SQLValue(caseID)])
        }
    }

    /// Closes a case for event `eventID`: records the outcome code, cancels what is pending and
    /// adds the closing message. `cancelled` counts the contacts cancelled.
    public func closeCase(eventID: String, caseID: UUID, victimID: UUID, unit: String, outcomeCode: String, closing: [NewContact],
                          tasks: [NewTask], at now: Date = Date()) async throws -> (applied: Bool, cancelled: Int) {
        let cancelled = try await once(eventID, at: now) { tx -> Int in
            try await tx.query("UPDATE cases SET status = 'closed', outcome_code = ?, closed_at = ?, last_activity_at = ? WHERE id = ?",
                               [.text(outcomeCode), SQLValue(now), SQLValue(now), SQLValue(caseID)])
            let cancelled = try await Self.cancelPending(where: "case_id = ?", [SQLValue(caseID)], at: now, tx)
            try await Self.insertContacts(closing, caseID: caseID, victimID: victimID, unit: unit, at: now, tx)
            try await Self.insertTasks(tasks, caseID: caseID, at: now, tx)
            return cancelled
        }
        return (cancelled != nil, cancelled ?? 0)
    }

    /// New victim details for event `eventID`: replaces what the store holds, cancels the listed
    /// pending contacts (those still pending) and adds their re-planned replacements.
    public func replaceVictim(eventID: String, victimID: UUID, caseID: UUID, unit: String, with victim: NewVictim, cancel: [UUID],
                              replan: [NewContact], tasks: [NewTask], at now: Date = Date()) async throws -> Bool {
        let sealed = try SealedVictim(victim, protector)
        return try await once(eventID, at: now) { tx in
            try await tx.query("""
                UPDATE victims SET given_name_enc = ?, phone_enc = ?, email_enc = ?, phone_index = ?, languages = ?, timezone = ?,
                  windows = ?, preferred_channel = ?, safe_to_contact = ?, consent_status = ?, discreet_contact = ?, updated_at = ?
                WHERE id = ?
                """, [SQLValue(sealed.givenName), SQLValue(sealed.phone), SQLValue(sealed.email), SQLValue(sealed.phoneIndex),
                      .text(victim.languages.joined(separator: ",")), .text(victim.timezone), .text(victim.windowsJSON),
                      SQLValue(victim.preferredChannel), .text(victim.safeToContact), .text(victim.consentStatus),
                      .int(victim.discreetContact ? 1 : 0), SQLValue(now), SQLValue(victimID)])
            for chunk in cancel.chunked(200) {
                _ = try await Self.cancelPending(where: "id IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))",
                                                 chunk.map { SQLValue($0) }, at: now, tx)
            }
            try await Self.insertContacts(replan, caseID: caseID, victimID: victimID, unit: unit, at: now, tx)
            try await Self.insertTasks(tasks, caseID: caseID, at: now, tx)
        }
    }

    /// Opt-out or opt-in for event `eventID` (see `setOptedOut`).
    public func setOptedOut(eventID: String, victimID: UUID, _ optedOut: Bool, actor: String, at now: Date = Date()) async throws -> Bool {
        try await once(eventID, at: now) { tx in
            try await tx.query("UPDATE victims SET opted_out = ?, updated_at = ? WHERE id = ?",
                               [SQLValue(optedOut), SQLValue(now), SQLValue(victimID)])
            try await Self.audit(actor: actor, action: optedOut ? "opt_out" : "opt_in", subject: "victim \(victimID.uuidString)",
                                 reason: "records system event", at: now, tx)
            if optedOut { _ = try await Self.cancelPending(where: "victim_id = ?", [SQLValue(victimID)], at: now, tx) }
        }
    }

    /// A victim's STOP (event `eventID`, the reply's id): opts out, cancels everything pending and
    /// — only if they were not opted out already — adds the one confirmation message, all in one
    /// transaction, so a redelivered or repeated STOP never confirms twice. Returns whether the
    /// confirmation was added.
    public func optOutByReply(eventID: String, victimID: UUID, caseID: UUID, unit: String, confirmation: [NewContact],
                              at now: Date = Date()) async throws -> Bool {
        try await once(eventID, at: now) { tx -> Bool in
            let changed = !(try await tx.query("UPDATE victims SET opted_out = 1, updated_at = ? WHERE id = ? AND opted_out = 0 RETURNING id",
                                               [SQLValue(now), SQLValue(victimID)])).isEmpty
            try await Self.audit(actor: "victim", action: "opt_out", subject: "victim \(victimID.uuidString)", reason: "STOP reply", at: now, tx)
            _ = try await Self.cancelPending(where: "victim_id = ?", [SQLValue(victimID)], at: now, tx)
            guard changed else { return false }
            try await Self.insertContacts(confirmation, caseID: caseID, victimID: victimID, unit: unit, at: now, tx)
            return true
        } ?? false
    }

    /// Records `eventID` only; for events that need no other change (unknown case, say).
    public func markEventProcessed(eventID: String, at now: Date = Date()) async throws -> Bool {
        try await once(eventID, at: now) { _ in }
    }

    private func once(_ eventID: String, at now: Date, _ body: @Sendable @escaping (any SQLTransaction) async throws -> Void) async throws -> Bool {
        try await once(eventID, at: now) { tx -> Bool in try await body(tx); return true } ?? false
    }

    /// Runs `body` in the transaction that records `eventID`; nil (and nothing done) when the
    /// event was processed before.
    private func once<Result: Sendable>(_ eventID: String, at now: Date,
                                        _ body: @Sendable @escaping (any SQLTransaction) async throws -> Result) async throws -> Result? {
        try await database.transaction { tx in
            guard try await Self.markProcessed([eventID], at: now, tx).contains(eventID) else { return nil }
            return try await body(tx)
        }
    }
}
