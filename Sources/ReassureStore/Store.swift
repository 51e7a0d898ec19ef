import Foundation
import Logging

/// Everything durable: cases, victims (personal data encrypted), contacts and their state
/// machine, attempts, replies, tasks, processed events, the producer's outbox, the audit log and
/// API tokens. The only place SQL is written; one behaviour over SQLite or PostgreSQL.
public final class Store: Sendable {
    let database: any SQLDatabase
    let protector: DataProtector

    public init(database: any SQLDatabase, protector: DataProtector) {
        self.database = database
        self.protector = protector
    }

    /// Opens the store named by `REASSURE_STORE_URL` (default `sqlite://./data/reassure.sqlite`)
    /// with the key from `REASSURE_DATA_KEY`/`REASSURE_DATA_KEY_FILE`, and migrates it.
    public static func open(environment: [String: String], logger: Logger = Logger(label: "reassure.store")) async throws -> Store {
        let protector = try DataProtector.fromEnvironment(environment)
        let database = try await openDatabase(url: environment["REASSURE_STORE_URL"] ?? defaultURL, logger: logger)
        let store = Store(database: database, protector: protector)
        try await store.migrate()
        return store
    }

    public static let defaultURL = "sqlite://./data/reassure.sqlite"

    /// `sqlite://PATH` (relative or absolute: `sqlite:///var/lib/reassure.sqlite`) or
    /// `postgres://user:password@host:port/database`.
    public static func openDatabase(url: String, logger: Logger) async throws -> any SQLDatabase {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw StoreError(.badURL, "REASSURE_STORE_URL sqlite:// needs a file path") }
            return try await SQLiteDatabase.open(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return try PostgresDatabase(url: url, logger: logger)
        }
        throw StoreError(.badURL, "REASSURE_STORE_URL must start with sqlite:// or postgres://")
    }

    public func close() async {
        await database.close()
    }

    /// Applies the migrations not yet applied; returns the versions it applied. Refuses a store
    /// newer than this program.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await migrate(upTo: Migrations.latest)
    }

    /// Applies the steps up to `version` only: tests start from an older schema to check an upgrade.
    @discardableResult
    func migrate(upTo version: Int) async throws -> [Int] {
        let dialect = database.dialect
        return try await database.transaction { tx in
            try await tx.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)", [])
            let applied = Set(try await tx.query("SELECT version FROM schema_migrations", []).compactMap { $0.int("version") })
            if let newest = applied.max(), newest > Int64(Migrations.latest) {
                throw StoreError(.schemaTooNew, "the store has schema version \(newest); this program knows up to \(Migrations.latest): upgrade reassure")
            }
            var done: [Int] = []
            for step in Migrations.steps where step.version <= version && !applied.contains(Int64(step.version)) {
                for statement in step.statements { try await tx.query(Migrations.sql(statement, for: dialect), []) }
                try await tx.query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", [.int(Int64(step.version)), SQLValue(Date())])
                done.append(step.version)
            }
            return done
        }
    }

    public func schemaVersion() async throws -> Int {
        try await database.transaction { tx in
            Int(try await tx.query("SELECT MAX(version) AS version FROM schema_migrations", []).first?.int("version") ?? 0)
        }
    }

    /// Records that an event was processed; false when it already was (the caller skips it).
    public func markEventProcessed(_ eventID: String, at: Date = Date()) async throws -> Bool {
        try await database.transaction { tx in !(try await Self.markProcessed([eventID], at: at, tx)).isEmpty }
    }

    /// Appends to the audit log: who, what, which subject, why. Never personal data.
    public func audit(actor: String, action: String, subject: String, reason: String, at: Date = Date()) async throws {
        try await database.transaction { tx in
            try await Self.audit(actor: actor, action: action, subject: subject, reason: reason, at: at, tx)
        }
    }

    static func audit(actor: String, action: String, subject: String, reason: String, at: Date, _ tx: any SQLTransaction) async throws {
        try await tx.query("INSERT INTO audit_log (at, actor, action, subject, reason) VALUES (?, ?, ?, ?, ?)",
                           [SQLValue(at), .text(actor), .text(action), .text(subject), .text(reason)])
    }

    public func auditEntries(limit: Int = 100) async throws -> [AuditEntry] {
        try await database.transaction { tx in
            try await tx.query("SELECT at, actor, action, subject, reason FROM audit_log ORDER BY sequence DESC LIMIT ?", [SQLValue(limit)])
                .map { AuditEntry(at: $0.date("at") ?? .distantPast, actor: $0.text("actor") ?? "", action: $0.text("action") ?? "",
                                  subject: $0.text("subject") ?? "", reason: $0.text("reason") ?? "") }
        }
    }
}
