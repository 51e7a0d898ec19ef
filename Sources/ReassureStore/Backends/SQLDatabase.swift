import Foundation
import ReassureCore

/// A value crossing into or out of SQL. Times are stored as integer milliseconds since 1970 and
/// booleans as 0/1, so one SQL text serves SQLite and PostgreSQL alike.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case blob([UInt8])

    init(_ date: Date?) {
        self = date.map { .int(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? .null
    }

    init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    init(_ number: Int) { self = .int(Int64(number)) }
    init(_ flag: Bool) { self = .int(flag ? 1 : 0) }
    init(_ bytes: [UInt8]?) { self = bytes.map { .blob($0) } ?? .null }
    init(_ id: UUID) { self = .text(UUIDText.string(id)) }
}

/// One result row, by column name. Rows of one result share their name → position map: a
/// dictionary per row cost more than reading the rows (a due contact's row has 30 columns).
public struct SQLRow: Sendable {
    let columns: SQLColumns
    let cells: [SQLValue]

    init(columns: SQLColumns, cells: [SQLValue]) {
        self.columns = columns
        self.cells = cells
    }

    subscript(column: String) -> SQLValue? {
        columns.position[column].map { cells[$0] }
    }

    func text(_ column: String) -> String? {
        switch self[column] {
        case .text(let value): value
        case .int(let value): String(value)
        default: nil
        }
    }

    func int(_ column: String) -> Int64? {
        switch self[column] {
        case .int(let value): value
        case .text(let value): Int64(value)
        default: nil
        }
    }

    func uuid(_ column: String) -> UUID? {
        text(column).flatMap(UUIDText.parse)
    }

    func date(_ column: String) -> Date? {
        int(column).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    func bytes(_ column: String) -> [UInt8]? {
        if case .blob(let value) = self[column] { return value }
        return nil
    }
}

/// Where each named column sits in a result's rows (the last of two equal names wins).
final class SQLColumns: Sendable {
    let names: [String]
    let position: [String: Int]

    init(names: [String]) {
        self.names = names
        position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The previous row's map when these are its columns (every row of one result), else a new one.
    static func reusing(_ previous: SQLColumns?, for names: [String]) -> SQLColumns {
        if let previous, previous.names == names { return previous }
        return SQLColumns(names: names)
    }
}

public enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

/// Statements inside one transaction. SQL uses `?` placeholders on both backends.
public protocol SQLTransaction: Sendable {
    /// Runs a statement; returns the rows it produced (`RETURNING` included).
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// True where a statement is prepared once per text and kept (SQLite): there, a statement
    /// whose text varies with its batch size is worth padding to a few sizes.
    var reusesStatements: Bool { get }
}

extension SQLTransaction {
    public var reusesStatements: Bool { false }

    /// How many rows or placeholders a statement for `count` items should have: where statements
    /// are kept, the next power of two up to `limit` (the extra ones are NULL and match nothing),
    /// so a batch of any size reuses one of a few prepared texts; elsewhere `count` itself.
    public func paddedCount(_ count: Int, limit: Int) -> Int {
        guard reusesStatements, count > 1 else { return count }
        return max(count, min(limit, 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount)))
    }
}

/// A database the store can run transactions on: the seam between one store behaviour and its
/// two backends.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` in one transaction that takes the write lock at once (SQLite `BEGIN
    /// IMMEDIATE`), committing when it returns and rolling back when it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T
    /// Runs `body` with each statement atomic on its own, nothing held across them: for reads,
    /// and for writes that are one statement. On SQLite this skips `BEGIN IMMEDIATE` and
    /// `COMMIT`: a read takes no write lock, and neither pays two more round trips to the
    /// database thread, on the one connection every role of a worker shares.
    func autocommit<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T
    func close() async
}

extension SQLDatabase {
    /// Where a transaction costs nothing extra (PostgreSQL's pool), it is one.
    public func autocommit<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        try await transaction(body)
    }
}

/// A database failure, without the statement's values (they may be personal data).
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unavailable, illegalTransition, notFound, missingKey, badKey, badURL, schemaTooNew, queryFailed
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (\(code.rawValue))" }
}
