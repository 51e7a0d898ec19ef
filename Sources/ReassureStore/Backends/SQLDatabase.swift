import Foundation

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
}

/// One result row, by column name.
public struct SQLRow: Sendable {
    public let values: [String: SQLValue]

    func text(_ column: String) -> String? {
        if case .text(let value) = values[column] { return value }
        if case .int(let value) = values[column] { return String(value) }
        return nil
    }

    func int(_ column: String) -> Int64? {
        if case .int(let value) = values[column] { return value }
        if case .text(let value) = values[column] { return Int64(value) }
        return nil
    }

    func date(_ column: String) -> Date? {
        int(column).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    func bytes(_ column: String) -> [UInt8]? {
        if case .blob(let value) = values[column] { return value }
        return nil
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
}

/// A database the store can run transactions on: the seam between one store behaviour and its
/// two backends.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` in one transaction that takes the write lock at once (SQLite `BEGIN
    /// IMMEDIATE`), committing when it returns and rolling back when it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T
    func close() async
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
