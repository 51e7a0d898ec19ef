import Foundation
@testable import ReassureStore

/// The two backends every conformance test runs against.
enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres
    var description: String { rawValue }

    /// The PostgreSQL server started by deploy/test.sh (deploy/postgres-start.sh).
    static var postgresURL: String? { ProcessInfo.processInfo.environment["REASSURE_TEST_POSTGRES_URL"] }
}

/// A fresh, empty, migrated store: its own SQLite file, or its own PostgreSQL database.
struct Fixture {
    let store: Store
    let url: String
    let path: String?

    static let key = [UInt8](repeating: 7, count: 32)

    /// `schema`: migrate only this far (an upgrade test's starting point).
    static func make(_ backend: Backend, schema: Int = Migrations.latest) async throws -> Fixture {
        let protector = try DataProtector(keys: [key])
        switch backend {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)/reassure.sqlite").path
            let store = Store(database: try await SQLiteDatabase.open(path: path), protector: protector)
            try await store.migrate(upTo: schema)
            return Fixture(store: store, url: "sqlite://\(path)", path: path)
        case .postgres:
            guard let base = Backend.postgresURL, let components = URLComponents(string: base) else {
                throw StoreError(.badURL, "REASSURE_TEST_POSTGRES_URL is not set: run the suite through deploy/test.sh")
            }
            let name = "t_\(UUID().uuidString.prefix(8).lowercased())"
            try await psql(base, "CREATE DATABASE \(name)")
            var own = components
            own.path = "/\(name)"
            let url = own.string!
            let store = Store(database: try PostgresDatabase(url: url), protector: protector)
            try await store.migrate(upTo: schema)
            return Fixture(store: store, url: url, path: nil)
        }
    }

    /// Everything the backend holds, as raw bytes: the SQLite file and its write-ahead log, or a pg_dump.
    func rawBytes() async throws -> Data {
        if let path {
            return (FileManager.default.contents(atPath: path) ?? Data()) + (FileManager.default.contents(atPath: path + "-wal") ?? Data())
        }
        return try await run("/usr/bin/pg_dump", [url])
    }
}

func psql(_ url: String, _ sql: String) async throws {
    _ = try await run("/usr/bin/psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
}

@discardableResult
func run(_ executable: String, _ arguments: [String]) async throws -> Data {
    try await runTogether([(executable, arguments)])[0]
}

/// Starts every process, then waits for all, on a thread of its own (waiting for a process must
/// not block Swift's cooperative pool, which other tests share); returns each one's output.
func runTogether(_ commands: [(String, [String])], whileRunning: @escaping @Sendable () -> Void = {}) async throws -> [Data] {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try runTogetherBlocking(commands, whileRunning: whileRunning) }) }.start()
    }
}

private func runTogetherBlocking(_ commands: [(String, [String])], whileRunning: () -> Void) throws -> [Data] {
    var environment = ProcessInfo.processInfo.environment
    environment["REASSURE_DATA_KEY"] = Data(Fixture.key).base64EncodedString()
    let started = try commands.map { executable, arguments -> (Process, Pipe) in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }
    whileRunning()
    return try started.map { process, output in
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw StoreError(.queryFailed, "\(process.executableURL?.lastPathComponent ?? "?") failed with status \(process.terminationStatus)")
        }
        return data
    }
}

let reported = Date(timeIntervalSince1970: 1_795_000_000)

func newCase(_ reference: String = "CAS \(UUID().uuidString.prefix(6))", unit: String = "unit-a") -> NewCase {
    NewCase(reference: reference, unit: unit, category: "burglary", priority: "standard", openedAt: reported)
}

func newVictim(phone: String = "+27821234567") -> NewVictim {
    NewVictim(ref: "V-1", givenName: "Nomvuyiswa", phone: phone, email: "nomvuyiswa@example.org", languages: ["zu", "en"],
              timezone: "Africa/Johannesburg", preferredChannel: "sms", safeToContact: "yes", consentStatus: "given")
}

func plan(_ count: Int, dueFrom start: Date = reported, spacing: TimeInterval = 60) -> [NewContact] {
    (0..<count).map { index in
        NewContact(stage: "check_in", label: "day \(index)", dueAt: start.addingTimeInterval(Double(index) * spacing), language: "zu",
                   channel: "sms", templateVersion: "1", segments: 2)
    }
}

extension Store.CaseRecording {
    var ids: (caseID: UUID, victimID: UUID)? {
        if case .created(let caseID, let victimID) = self { return (caseID, victimID) }
        return nil
    }
}

/// The `reassure-claim-probe` executable built next to the tests.
enum ClaimProbe {
    static func executable() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug"),
        ].map { $0.appendingPathComponent("reassure-claim-probe") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw StoreError(.notFound, "reassure-claim-probe is not built: run swift build --build-tests")
        }
        return found
    }
}
