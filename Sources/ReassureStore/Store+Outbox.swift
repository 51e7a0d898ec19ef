import Foundation

extension Store {
    /// The producer's door: for each event, record its id and put it in the outbox in the same
    /// transaction, so an accepted event is durable before the 202 and a duplicate id is
    /// recognised. Returns, per event, whether it was new. Payloads are encrypted (they hold
    /// personal data).
    public func acceptEvents(_ events: [(eventID: String, routingKey: String, payload: [UInt8])], at now: Date = Date()) async throws -> [Bool] {
        let sealed = try events.map { try protector.encrypt(String(decoding: $0.payload, as: UTF8.self)) ?? [] }
        return try await database.transaction { tx in
            var accepted: [Bool] = []
            for (index, event) in events.enumerated() {
                let rows = try await tx.query("""
                    INSERT INTO outbox (event_id, routing_key, payload_enc, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (event_id) DO NOTHING RETURNING sequence
                    """, [.text(event.eventID), .text(event.routingKey), .blob(sealed[index]), SQLValue(now)])
                accepted.append(!rows.isEmpty)
            }
            return accepted
        }
    }

    /// The oldest events not yet confirmed by the broker; with `after`, only those later than
    /// that sequence (the relay reads on while earlier ones await their confirms).
    public func pendingOutbox(limit: Int, after: Int64? = nil) async throws -> [OutboxEntry] {
        let rows = try await database.autocommit { tx in
            try await tx.query("""
                SELECT sequence, event_id, routing_key, payload_enc, created_at FROM outbox
                WHERE sent_at IS NULL AND sequence > ? ORDER BY sequence LIMIT ?
                """, [.int(after ?? 0), SQLValue(limit)])
        }
        return try rows.map { row in
            OutboxEntry(sequence: row.int("sequence") ?? 0, eventID: row.text("event_id") ?? "", routingKey: row.text("routing_key") ?? "",
                        payload: Array((try protector.decrypt(row.bytes("payload_enc")) ?? "").utf8), createdAt: row.date("created_at") ?? .distantPast)
        }
    }

    /// Marks events the broker confirmed.
    public func markOutboxSent(_ sequences: [Int64], at now: Date = Date()) async throws {
        guard !sequences.isEmpty else { return }
        // One statement: atomic without a transaction around it.
        try await database.autocommit { tx in
            let placeholders = sequences.map { _ in "?" }.joined(separator: ", ")
            try await tx.query("UPDATE outbox SET sent_at = ? WHERE sequence IN (\(placeholders))", [SQLValue(now)] + sequences.map { .int($0) })
        }
    }

    /// Unsent events and the age of the oldest, for metrics and `/ready`.
    public func outboxDepth(now: Date = Date()) async throws -> (count: Int, oldestAge: TimeInterval) {
        try await database.autocommit { tx in
            let row = try await tx.query("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE sent_at IS NULL", []).first
            return (Int(row?.int("n") ?? 0), row?.date("oldest").map { now.timeIntervalSince($0) } ?? 0)
        }
    }
}
