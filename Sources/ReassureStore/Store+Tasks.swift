import Foundation
import ReassureCore

extension Store {
    public func addTasks(_ tasks: [NewTask], caseID: UUID, at now: Date = Date()) async throws {
        try await database.transaction { tx in try await Self.insertTasks(tasks, caseID: caseID, at: now, tx) }
    }

    /// Open tasks for people, oldest first.
    public func openTasks(limit: Int = 500) async throws -> [TaskRecord] {
        try await database.transaction { tx in
            try await tx.query("SELECT id, case_id, kind, reason, language, created_at FROM tasks WHERE status = 'open' ORDER BY created_at LIMIT ?",
                               [SQLValue(limit)]).compactMap { row in
                guard let id = row.uuid("id"),
                      let caseID = row.uuid("case_id") else { return nil }
                return TaskRecord(id: id, caseID: caseID, kind: row.text("kind") ?? "", reason: row.text("reason") ?? "",
                                  language: row.text("language"), createdAt: row.date("created_at") ?? .distantPast)
            }
        }
    }

    /// Marks a task done; false when it was not open.
    public func completeTask(_ id: UUID, by actor: String, at now: Date = Date()) async throws -> Bool {
        try await database.transaction { tx in
            let done = !(try await tx.query("UPDATE tasks SET status = 'done', done_at = ?, done_by = ? WHERE id = ? AND status = 'open' RETURNING id",
                                            [SQLValue(now), .text(actor), SQLValue(id)])).isEmpty
            if done { try await Self.audit(actor: actor, action: "complete_task", subject: "task \(id.uuidString)", reason: "done", at: now, tx) }
            return done
        }
    }
}
