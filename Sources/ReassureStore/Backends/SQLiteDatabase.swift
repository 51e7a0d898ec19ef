import Foundation
import NIOCore
import SQLiteNIO

/// The default store backend: one SQLite file in WAL mode, safe for several processes on one
/// machine (writers take the lock with `BEGIN IMMEDIATE` and wait up to `busy_timeout`).
public actor SQLiteDatabase: SQLDatabase {
    public nonisolated let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Opens (creating) the file; its directory is created too.
    public static func open(path: String) async throws -> SQLiteDatabase {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path))
        } catch {
            throw StoreError(.unavailable, "cannot open the SQLite store at \(path): \(error)")
        }
        // 64 MiB page cache: contact updates land all over the table.
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=10000", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
                       "PRAGMA cache_size=-65536", "PRAGMA temp_store=MEMORY"] {
            _ = try await connection.query(pragma, [])
        }
        return SQLiteDatabase(connection: connection)
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// A store dropped without `close()` still closes its file (the future keeps the connection
    /// alive until it has).
    deinit {
        if !connection.isClosed { _ = connection.close() }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        let transaction = Transaction(connection: connection)
        do {
            // Inside the `do`: should BEGIN ever find a transaction still open, the ROLLBACK
            // below ends it, so the next caller starts clean.
            try await transaction.query("BEGIN IMMEDIATE", [])
            let result = try await body(transaction)
            try await transaction.query("COMMIT", [])
            return result
        } catch {
            // In a task of its own: a cancelled task (a client that hung up) gets no queries from
            // sqlite-nio, and a transaction left open would refuse every later BEGIN on this
            // connection — the whole store would stop.
            await Task { _ = try? await transaction.query("ROLLBACK", []) }.value
            throw error
        }
    }

    public func autocommit<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body(Transaction(connection: connection))
    }

    public func close() async {
        try? await connection.close()
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

    struct Transaction: SQLTransaction {
        let connection: SQLiteConnection

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            let data = binds.map { value -> SQLiteData in
                switch value {
                case .null: .null
                case .int(let number): .integer(Int(number))
                case .text(let text): .text(text)
                case .blob(let bytes): .blob(ByteBuffer(bytes: bytes))
                }
            }
            do {
                let rows = try await connection.query(sql, data)
                var columns: SQLColumns?
                return rows.map { row in
                    let shared = SQLColumns.reusing(columns, for: row.columns.map(\.name))
                    columns = shared
                    return SQLRow(columns: shared, cells: row.columns.map { column in
                        switch column.data {
                        case .null: .null
                        case .integer(let number): .int(Int64(number))
                        case .float(let number): .int(Int64(number))
                        case .text(let text): .text(text)
                        case .blob(var buffer): .blob(buffer.readBytes(length: buffer.readableBytes) ?? [])
                        }
                    })
                }
            } catch {
                throw StoreError(.queryFailed, "SQLite: \(error)")
            }
        }
    }
}
