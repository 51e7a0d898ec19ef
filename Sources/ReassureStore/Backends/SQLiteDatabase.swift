import Foundation
import GRDB
import GRDBSQLite

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
            // 64 MiB page cache: contact updates land all over the table. A checkpoint every
            // 10,000 pages (about 40 MiB of WAL) rather than SQLite's 1,000: a contact's row changes
            // five or six times on its way, and a longer WAL copies each page back once for all of
            // them (`bench pipeline`: COMMIT time 0.115 s → 0.07 s a run).
            try db.execute(sql: "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=10000")
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
        var reusesStatements: Bool { true }

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try run(sql, binds)
        }

        func execute(_ sql: String) throws {
            _ = try run(sql, [])
        }

        /// Binds and steps through SQLite's own calls on GRDB's prepared statement: GRDB's
        /// arguments and rows box every value once more on the way (about a tenth of a
        /// worker's CPU in `bench pipeline` went to that and the conversions after it).
        private func run(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
            do {
                return try queue.inDatabase { db in
                    let statement = try statements.statement(sql, in: db)
                    let handle = statement.sqliteStatement
                    defer {
                        sqlite3_reset(handle)
                        sqlite3_clear_bindings(handle)
                    }
                    for (index, value) in binds.enumerated() {
                        let code = Self.bind(value, at: Int32(index + 1), in: handle)
                        guard code == SQLITE_OK else { throw Self.failure(code, db) }
                    }
                    let width = sqlite3_column_count(handle)
                    let columns = width > 0 ? SQLColumns(names: statement.columnNames) : nil
                    var rows: [SQLRow] = []
                    while true {
                        let code = sqlite3_step(handle)
                        if code == SQLITE_DONE { return rows }
                        guard code == SQLITE_ROW, let columns else { throw Self.failure(code, db) }
                        rows.append(SQLRow(columns: columns, cells: (0..<width).map { Self.cell($0, of: handle) }))
                    }
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.queryFailed, SQLiteDatabase.describe(error))
            }
        }

        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        private static func bind(_ value: SQLValue, at position: Int32, in handle: OpaquePointer) -> Int32 {
            switch value {
            case .null:
                return sqlite3_bind_null(handle, position)
            case .int(let number):
                return sqlite3_bind_int64(handle, position, number)
            case .text(var text):
                return text.withUTF8 { bytes in
                    // A null pointer would bind NULL, not the empty text.
                    guard let start = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, position, "", 0, transient) }
                    return start.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite3_bind_text(handle, position, $0, Int32(bytes.count), transient)
                    }
                }
            case .blob(let bytes):
                return bytes.withUnsafeBytes { buffer in
                    guard let start = buffer.baseAddress, !buffer.isEmpty else { return sqlite3_bind_zeroblob(handle, position, 0) }
                    return sqlite3_bind_blob(handle, position, start, Int32(buffer.count), transient)
                }
            }
        }

        private static func cell(_ column: Int32, of handle: OpaquePointer) -> SQLValue {
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER:
                return .int(sqlite3_column_int64(handle, column))
            case SQLITE_FLOAT:
                return .int(Int64(sqlite3_column_double(handle, column)))
            case SQLITE_TEXT:
                guard let text = sqlite3_column_text(handle, column) else { return .text("") }
                return .text(String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self))
            case SQLITE_BLOB:
                let count = Int(sqlite3_column_bytes(handle, column))
                guard let blob = sqlite3_column_blob(handle, column), count > 0 else { return .blob([]) }
                return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
            default:
                return .null
            }
        }

        /// SQLite's message for a failed call, never the statement's values.
        private static func failure(_ code: Int32, _ db: Database) -> StoreError {
            let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "unknown"
            return StoreError(.queryFailed, "SQLite error \(code): \(message)")
        }
    }
}

/// Prepared statements by SQL text. Statements of many rows differ by their row count, so the
/// cache is emptied when it grows past `limit` rather than growing without end.
final class StatementCache: @unchecked Sendable {
    // Only touched inside `DatabaseQueue.inDatabase`, which serialises every access.
    private var cached: [String: Statement] = [:]
    let limit = 256

    func statement(_ sql: String, in db: Database) throws -> Statement {
        if let statement = cached[sql] { return statement }
        if cached.count >= limit { cached.removeAll() }
        let statement = try db.makeStatement(sql: sql)
        cached[sql] = statement
        return statement
    }

    func removeAll() { cached.removeAll() }
}
