import Foundation

extension Store {
    /// The producer's door: for each event, record its id and put it in the outbox in the same
    /// transaction, so an accepted event is durable before the 202 and a duplicate id is
    /// recognised. Returns, per event, whether it was new. Payloads are encrypted (they hold
    /// personal data).
    public func acceptEvents(_ events: [(eventID: String, routingKey: String, payload: [UInt8])], at now: Date = Date()) async throws -> [Bool] {
        // The first of several events with one id is the one kept; the others are duplicates.
        var firsts: Set<String> = []
        let isFirst = events.map { firsts.insert($0.eventID).inserted }
        let fresh = events.indices.filter { isFirst[$0] }
        let sealed = try protector.encrypt(batch: fresh.map { events[$0].payload })
        let inserted: Set<String> = try await database.transaction { tx in
            var inserted: Set<String> = []
            var start = 0
            // Many rows a statement (one statement per event was over half of ingest's store time);
            // chunk sizes from a short fixed list keep the statements' texts few and prepared.
            for size in Self.insertChunks(fresh.count) {
                let binds = (start..<start + size).flatMap { position -> [SQLValue] in
                    let event = events[fresh[position]]
                    return [.text(event.eventID), .text(event.routingKey), SQLValue(now)]
                }
                let rows = try await tx.query("""
                    INSERT INTO outbox (event_id, routing_key, created_at) VALUES \(Self.rows(size, width: 3))
                    ON CONFLICT (event_id) DO NOTHING RETURNING sequence, event_id
                    """, binds)
                // The payloads of the rows just made, by the position of their event in `fresh`.
                var positions: [String: Int] = [:]
                for position in start..<start + size { positions[events[fresh[position]].eventID] = position }
                var payloads: [SQLValue] = []
                payloads.reserveCapacity(2 * rows.count)
                for row in rows {
                    guard let eventID = row.text("event_id"), let sequence = row.int("sequence"), let position = positions[eventID] else { continue }
                    inserted.insert(eventID)
                    payloads += [.int(sequence), .blob(sealed[position])]
                }
                var written = 0
                for count in Self.insertChunks(payloads.count / 2) {
                    try await tx.query("INSERT INTO outbox_payloads (sequence, payload_enc) VALUES \(Self.rows(count, width: 2))",
                                       Array(payloads[2 * written..<2 * (written + count)]))
                    written += count
                }
                start += size
            }
            return inserted
        }
        return events.indices.map { isFirst[$0] && inserted.contains(events[$0].eventID) }
    }

    /// `count` as chunks of 100 (a full batch from `emit` or a records system), then powers of two.
    static func insertChunks(_ count: Int) -> [Int] {
        var chunks = Array(repeating: 100, count: count / 100)
        var rest = count % 100
        var size = 64
        while rest > 0 {
            if rest >= size {
                chunks.append(size)
                rest -= size
            }
            size /= 2
        }
        return chunks
    }

    /// The oldest events not yet confirmed by the broker; with `after`, only those later than
    /// that sequence (the relay reads on while earlier ones await their confirms).
    public func pendingOutbox(limit: Int, after: Int64? = nil) async throws -> [OutboxEntry] {
        let rows = try await database.autocommit { tx in
            try await tx.query("""
                SELECT p.sequence, o.event_id, o.routing_key, p.payload_enc, o.created_at
                FROM outbox_payloads p JOIN outbox o ON o.sequence = p.sequence
                WHERE p.sequence > ? ORDER BY p.sequence LIMIT ?
                """, [.int(after ?? 0), SQLValue(limit)])
        }
        return try rows.map { row in
            OutboxEntry(sequence: row.int("sequence") ?? 0, eventID: row.text("event_id") ?? "", routingKey: row.text("routing_key") ?? "",
                        payload: Array((try protector.decrypt(row.bytes("payload_enc")) ?? "").utf8), createdAt: row.date("created_at") ?? .distantPast)
        }
    }

    /// Marks events the broker confirmed and deletes their payload: the outbox row stays as the
    /// event id's dedup record, but the event (personal data) lives on only in the queue and the
    /// case records.
    public func markOutboxSent(_ sequences: [Int64], at now: Date = Date()) async throws {
        guard !sequences.isEmpty else { return }
        try await database.transaction { tx in
            // Padded like receipts: a relay batch of any size reuses a few prepared texts.
            let count = tx.paddedCount(sequences.count, limit: .max)
            let placeholders = Array(repeating: "?", count: count).joined(separator: ", ")
            let keys = sequences.map { SQLValue.int($0) } + Array(repeating: .null, count: count - sequences.count)
            try await tx.query("UPDATE outbox SET sent_at = ? WHERE sequence IN (\(placeholders))", [SQLValue(now)] + keys)
            try await tx.query("DELETE FROM outbox_payloads WHERE sequence IN (\(placeholders))", keys)
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
