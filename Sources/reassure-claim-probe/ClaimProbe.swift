import Foundation
import ReassureStore

/// Claims every due contact it can, one batch at a time, and prints the ids it got, one per line.
/// The store's concurrency test runs two of these at once against the same store to show that
/// separate processes never claim the same contact. Reads the key from REASSURE_DATA_KEY.
@main
enum ClaimProbe {
    static func main() async {
        let arguments = CommandLine.arguments
        func value(_ flag: String) -> String? {
            arguments.firstIndex(of: flag).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        guard let url = value("--store-url"), let nowText = value("--now-ms"), let nowMS = Int64(nowText) else {
            FileHandle.standardError.write(Data("usage: reassure-claim-probe --store-url URL --now-ms MILLISECONDS [--pause-ms N] [--max N] [--go-file PATH]\n".utf8))
            exit(2)
        }
        let pause = value("--pause-ms").flatMap(Int.init) ?? 2
        let maximum = value("--max").flatMap(Int.init) ?? Int.max
        // A start barrier: after connecting, write `<go-file>.ready.<pid>` and wait for the go file.
        let goFile = value("--go-file")
        do {
            let protector = try DataProtector.fromEnvironment(ProcessInfo.processInfo.environment)
            let store = Store(database: try await Store.openDatabase(url: url, logger: .init(label: "probe")), protector: protector)
            let now = Date(timeIntervalSince1970: Double(nowMS) / 1000)
            let owner = "probe-\(getpid())"
            _ = try await store.schemaVersion()
            if let goFile {
                FileManager.default.createFile(atPath: "\(goFile).ready.\(getpid())", contents: Data())
                let deadline = Date().addingTimeInterval(60)
                while !FileManager.default.fileExists(atPath: goFile) {
                    guard Date() < deadline else { throw CancellationError() }
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            var output = ""
            var claimed = 0
            var emptyClaims = 0
            while claimed < maximum {
                let limit = min(10, maximum - claimed)
                let batch = try await store.claimDueContacts(now: now, limit: limit, perUnit: 1000, owner: owner, lease: 600)
                guard batch.count <= limit else {
                    FileHandle.standardError.write(Data("reassure-claim-probe: asked for \(limit), got \(batch.count)\n".utf8))
                    exit(3)
                }
                // On PostgreSQL an empty claim can mean "the rows in reach are locked by the other
                // claimer right now" (SKIP LOCKED); like the clock, look again before concluding.
                if batch.isEmpty {
                    emptyClaims += 1
                    if emptyClaims == 5 { break }
                    try await Task.sleep(for: .milliseconds(20))
                    continue
                }
                emptyClaims = 0
                claimed += batch.count
                for contact in batch { output += contact.id.uuidString + "\n" }
                try await Task.sleep(for: .milliseconds(pause))
            }
            print(output, terminator: "")
            await store.close()
        } catch {
            FileHandle.standardError.write(Data("reassure-claim-probe: \(error)\n".utf8))
            exit(1)
        }
    }
}
