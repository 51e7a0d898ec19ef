import ArgumentParser
import Foundation
import ReassureStore

/// Opens the store of `REASSURE_STORE_URL` with the data key, turning errors into a clear line and exit 1.
func openStore() async throws -> Store {
    do {
        return try await Store.open(environment: ProcessInfo.processInfo.environment)
    } catch let error as StoreError {
        printError("reassure: \(error)")
        throw ExitCode(1)
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the store's schema migrations (serve and worker also do this at start).",
        discussion: "Reads REASSURE_STORE_URL (default sqlite://./data/reassure.sqlite) and REASSURE_DATA_KEY or REASSURE_DATA_KEY_FILE.")

    func run() async throws {
        bootstrapLogging(ProcessInfo.processInfo.environment, fallback: .warning)
        let store = try await openStore()
        let version = try await store.schemaVersion()
        print("store schema at version \(version)")
        await store.close()
    }
}

struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge", abstract: "Delete personal data of cases closed (or silent) longer than the retention period.",
        discussion: "Keeps anonymous counts for reports and records itself in the audit log. Retention: REASSURE_RETENTION_DAYS (default 365).")

    @Flag(help: "Only count what would be deleted.") var dryRun = false
    @Option(help: "Retention period in days (overrides REASSURE_RETENTION_DAYS).") var days: Int?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        bootstrapLogging(environment, fallback: .warning)
        let retention = days ?? environment["REASSURE_RETENTION_DAYS"].flatMap(Int.init) ?? 365
        guard retention >= 1 else { throw ValidationError("the retention period must be at least 1 day") }
        let store = try await openStore()
        let cutoff = Date().addingTimeInterval(-Double(retention) * 86_400)
        let report = try await store.purge(before: cutoff, dryRun: dryRun, actor: "cli:purge")
        print("\(dryRun ? "would purge" : "purged") personal data of \(report.cases) case(s): \(report.victims) victim(s), \(report.replies) repl(ies); retention \(retention) days")
        await store.close()
    }
}

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the data encryption keys.", subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate", abstract: "Re-encrypt all personal data under the current key.",
            discussion: "Put the new key first in REASSURE_DATA_KEY (comma-separated) or REASSURE_DATA_KEY_FILE (one per line), keep the old ones after it, run this, then remove the old keys.")

        func run() async throws {
            bootstrapLogging(ProcessInfo.processInfo.environment, fallback: .warning)
            let store = try await openStore()
            let changed = try await store.reencryptAll(actor: "cli:keys-rotate")
            print("re-encrypted \(changed) value row(s) under the current key")
            await store.close()
        }
    }
}

struct StoreBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Rows per second for scheduling contacts and recording outcomes, on SQLite and PostgreSQL.",
        discussion: "SQLite uses a temporary file; PostgreSQL the database of --postgres-url or REASSURE_TEST_POSTGRES_URL (its tables must not exist yet). The final line is machine-readable.")

    @Option(help: "Contacts to schedule (and outcomes to record).") var contacts = 100_000
    @Option(help: "PostgreSQL URL; without one, PostgreSQL is skipped.") var postgresURL: String?

    func run() async throws {
        bootstrapLogging(ProcessInfo.processInfo.environment, fallback: .warning)
        let benchmark = StoreBenchmark(contacts: contacts)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reassure-bench-\(UUID().uuidString)/bench.sqlite").path
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        printError("bench store: \(contacts) contacts, 10 per case, 50 cases per transaction, outcomes in batches of 500")
        let sqlite = try await SQLiteDatabase.open(path: path)
        let sqliteFigures = try await benchmark.run(on: sqlite) { printError("sqlite: \($0)") }
        await sqlite.close()
        var line = String(format: "sqlite_schedule_per_s=%.0f sqlite_outcome_per_s=%.0f", sqliteFigures.schedulePerSecond, sqliteFigures.outcomesPerSecond)
        if let url = postgresURL ?? ProcessInfo.processInfo.environment["REASSURE_TEST_POSTGRES_URL"] {
            let postgres = try PostgresDatabase(url: url)
            let figures = try await benchmark.run(on: postgres) { printError("postgres: \($0)") }
            await postgres.close()
            line += String(format: " pg_schedule_per_s=%.0f pg_outcome_per_s=%.0f", figures.schedulePerSecond, figures.outcomesPerSecond)
        } else {
            printError("no PostgreSQL URL: skipping PostgreSQL")
        }
        print(line)
    }
}
