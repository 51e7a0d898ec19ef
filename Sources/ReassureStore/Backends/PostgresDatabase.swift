import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The backend for scale: PostgreSQL through postgres-nio's connection pool. The same SQL as
/// SQLite, with `?` placeholders turned into `$1, $2, …`.
public final class PostgresDatabase: SQLDatabase {
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// Connects from `postgres://user:password@host:port/database`; the password never appears
    /// in errors.
    public init(url: String, logger: Logger = Logger(label: "reassure.store")) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty else {
            throw StoreError(.badURL, "the PostgreSQL URL must look like postgres://user:password@host:5432/database")
        }
        let database = String(components.path.dropFirst())
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password?.removingPercentEncoding, database: database.isEmpty ? nil : database,
            tls: components.queryItems?.contains { $0.name == "sslmode" && $0.value == "require" } == true
                ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.maximumConnections = 8
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        runner = Task { await client.run() }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(Transaction(connection: connection, logger: logger))
            }
        } catch let error as StoreError {
            throw error
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? StoreError { throw closure }
            throw StoreError(.queryFailed, "PostgreSQL transaction failed: \(String(reflecting: error.closureError ?? error.rollbackError ?? error.commitError ?? error.beginError))")
        } catch {
            throw StoreError(.unavailable, "PostgreSQL is unavailable: \(String(reflecting: error))")
        }
    }

    public func close() async {
        runner.cancel()
    }

    struct Transaction: SQLTransaction, @unchecked Sendable {
        let connection: PostgresConnection
        let logger: Logger

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            var bindings = PostgresBindings(capacity: binds.count)
            for value in binds {
                switch value {
                case .null: bindings.appendNull()
                case .int(let number): bindings.append(number)
                case .text(let text): bindings.append(text)
                case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
                }
            }
            let query = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings)
            do {
                var rows: [SQLRow] = []
                var columns: SQLColumns?
                for try await row in try await connection.query(query, logger: logger) {
                    var names: [String] = []
                    var cells: [SQLValue] = []
                    for cell in row {
                        names.append(cell.columnName)
                        cells.append(Self.value(cell))
                    }
                    let shared = SQLColumns.reusing(columns, for: names)
                    columns = shared
                    rows.append(SQLRow(columns: shared, cells: cells))
                }
                return rows
            } catch let error as PSQLError {
                throw StoreError(.queryFailed, "PostgreSQL: \(error.serverInfo?[.message] ?? "\(error.code)")")
            }
        }

        static func value(_ cell: PostgresCell) -> SQLValue {
            guard var bytes = cell.bytes else { return .null }
            switch cell.dataType {
            case .int8, .int4, .int2: return (try? cell.decode(Int64.self)).map { .int($0) } ?? .null
            case .bool: return (try? cell.decode(Bool.self)).map { .int($0 ? 1 : 0) } ?? .null
            case .bytea: return .blob(bytes.readBytes(length: bytes.readableBytes) ?? [])
            default: return (try? cell.decode(String.self)).map { .text($0) } ?? .null
            }
        }

        /// `?` → `$n`, outside quoted strings.
        static func numbered(_ sql: String) -> String {
            var result = ""
            var index = 0
            var quoted = false
            for character in sql {
                if character == "'" { quoted.toggle() }
                if character == "?" && !quoted {
                    index += 1
                    result += "$\(index)"
                } else {
                    result.append(character)
                }
            }
            return result
        }
    }
}
