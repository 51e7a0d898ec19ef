import Foundation
import GRDB

/// The default store backend: one SQLite file in WAL mode, safe for several processes on one
/// machine (writers take the lock with `BEGIN IMMEDIATE` and wait up to the busy timeout).
///
/// Statements run synchronously on the calling task's thread (GRDB's `DatabaseQueue`), with
/// prepared statements kept for reuse. A round trip to a database thread for every statement
/// (sqlite-nio) held the one connection that all of a worker's roles share about 0.3 ms longer
/// per statement under load; running whole transactions on a thread of their own cost more
/// than it saved on this 2-core machine (`bench pipeline`, interleaved: 2,058–2,325 contacts/s
/// against 2,529–2,662 synchronous). The price: a writer waiting for another process's lock
/// (at most the busy timeout) or a checkpoint holds one of the runtime's threads meanwhile;
/// this actor lets one transaction at a time run, so at most one such thread.
public actor SQLiteDatabase: SQLDatabase {
    public nonisolated let dialect = SQLDialect.sqlite
    private let queue: DatabaseQueue
    private let statements: StatementCache
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// How long a writer waits for another process's write lock before failing.
    static let busyTimeout: TimeInterval = 10

    /// Opens (creating) the file; its directory is created too.
    public static func open(path: String) async throws -> SQLiteDatabase {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        // Transactions span several statements (each its own call) under this actor's lock.
        configuration.allowsUnsafeTransactions = true
        configuration.label = "reassure.store"
        configuration.prepareDatabase { db in
            // 64 MiB page cache: contact updates land all over the table.
            try db.execute(sql: "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY")
        }
        do {
            return SQLiteDatabase(queue: try DatabaseQueue(path: path, configuration: configuration))
        } catch {
            throw StoreError(.unavailable, "cannot open the SQLite store at \(path): \(Self.describe(error))")
        }
    }

    private init(queue: DatabaseQueue) {
        self.queue = queue
        self.statements = StatementCache()
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        let transaction = Transaction(queue: queue, statements: statements)
        do {
            // Inside the `do`: should BEGIN ever find a transaction still open, the ROLLBACK
            // below ends it, so the next caller starts clean.
            try transaction.execute("BEGIN IMMEDIATE")
            let result = try await body(transaction)
            try transaction.execute("COMMIT")
            return result
        } catch {
            // Synchronous, so a cancelled task (a client that hung up) still rolls back: a
            // transaction left open would refuse every later BEGIN and stop the whole store.
            try? transaction.execute("ROLLBACK")
            throw error
        }
    }

    public func autocommit<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body(Transaction(queue: queue, statements: statements))
    }

    public func close() async {
        await acquire()
        defer { release() }
        // Prepared statements would keep the file open.
        queue.inDatabase { _ in statements.removeAll() }
        try? queue.close()
    }

    /// One transaction at a time on this connection; other tasks wait their turn.
    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// SQLite's own message and code, never the statement's arguments (they may be personal data).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DatabaseError else { return "\(error)" }
        return "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "unknown")"
    }

    struct Transaction: SQLTransaction {
        let queue: DatabaseQueue
        let statements: StatementCache

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try run(sql, binds)
        }

        func execute(_ sql: String) throws {
            _ = try run(sql, [])
        }

        private func run(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
            let arguments = StatementArguments(binds.map { value -> DatabaseValue in
                switch value {
                case .null: .null
                case .int(let number): number.databaseValue
                case .text(let text): text.databaseValue
                case .blob(let bytes): Data(bytes).databaseValue
                }
            })
            do {
                return try queue.inDatabase { db in
                    let statement = try statements.statement(sql, in: db)
                    guard statement.columnCount > 0 else {
                        try statement.execute(arguments: arguments)
                        return []
                    }
                    let shared = SQLColumns(names: statement.columnNames)
                    var rows: [SQLRow] = []
                    let cursor = try Row.fetchCursor(statement, arguments: arguments)
                    while let row = try cursor.next() {
                        rows.append(SQLRow(columns: shared, cells: row.databaseValues.map { value in
                            switch value.storage {
                            case .null: .null
                            case .int64(let number): .int(number)
                            case .double(let number): .int(Int64(number))
                            case .string(let text): .text(text)
                            case .blob(let data): .blob([UInt8](data))
                            }
                        }))
                    }
                    return rows
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.queryFailed, SQLiteDatabase.describe(error))
            }
        }
    }
}

/// Prepared statements by SQL text. Statements of many rows differ by their row count, so the
/// cache is emptied when it grows past `limit` rather than growing without end.
final class StatementCache: @unchecked Sendable {
    // Only touched inside `DatabaseQueue.inDatabase`, which serialises every access.
    private var cached: [String: Statement] = [:]
    let limit = 64

    func statement(_ sql: String, in db: Database) throws -> Statement {
        if let statement = cached[sql] { return statement }
        if cached.count >= limit { cached.removeAll() }
        let statement = try db.makeStatement(sql: sql)
        cached[sql] = statement
        return statement
    }

    func removeAll() { cached.removeAll() }
}
