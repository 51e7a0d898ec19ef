import ArgumentParser
import Foundation
import ReassureServer

#if canImport(Glibc)
import Glibc
#endif

/// `reassure emit FILE`: wiring only; the work is `ReassureServer.EmitClient`.
struct EmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit", abstract: "Send case events from a JSON Lines or CSV file to the HTTP API, resumably.",
        discussion: """
            JSON Lines (one event per line), or CSV (.csv) with --mapping FILE.yaml naming which column fills which event \
            field (see README). Events are checked locally with the service's own rules, then sent in batches; the last \
            acknowledged line is kept in FILE.emit-state, so running the same command again after an interruption resumes \
            there (the file is removed when a run completes). Prints a summary: accepted, duplicates, and each rejected line \
            with its reasons. Exit status 1 if any line was rejected, 2 if the run stopped before the end.
            """)

    @Argument(help: "The events file (.jsonl, or .csv with --mapping).") var file: String
    @Option(help: "YAML column mapping for CSV input.") var mapping: String?
    @Option(help: "The service (default REASSURE_API_URL or http://127.0.0.1:8080).") var url: String?
    @Option(help: "Integrator token (default REASSURE_TOKEN).") var token: String?
    @Option(help: "Events per request (at most 500).") var batchSize = 100
    @Flag(help: "Ignore a remembered position and send the whole file.") var restart = false

    func validate() throws {
        guard (1...500).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 500") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        bootstrapLogging(environment, fallback: .warning)
        guard let token = token ?? environment["REASSURE_TOKEN"], !token.isEmpty else {
            printError("reassure emit: no token: pass --token or set REASSURE_TOKEN (reassure token create --role integrator)")
            throw ExitCode(2)
        }
        let input = URL(fileURLWithPath: file)
        guard let data = FileManager.default.contents(atPath: input.path) else {
            printError("reassure emit: cannot read \(file)")
            throw ExitCode(2)
        }
        let records: [EmitSource.Record]
        do {
            if let mapping {
                let text = try String(contentsOfFile: mapping, encoding: .utf8)
                records = try EmitSource.csv(data, mapping: CSVMapping.load(yaml: text))
            } else if input.pathExtension.lowercased() == "csv" {
                printError("reassure emit: a CSV file needs --mapping FILE.yaml")
                throw ExitCode(2)
            } else {
                records = EmitSource.jsonLines(data)
            }
        } catch let error as EmitError {
            printError("reassure emit: \(error)")
            throw ExitCode(2)
        }
        let stateFile = URL(fileURLWithPath: input.path + ".emit-state")
        if restart { try? FileManager.default.removeItem(at: stateFile) }
        let client = EmitClient(options: .init(baseURL: url ?? environment["REASSURE_API_URL"] ?? "http://127.0.0.1:8080", token: token,
                                               batchSize: batchSize, stateFile: stateFile))
        let terminal = isatty(STDERR_FILENO) == 1
        let summary: EmitClient.Summary
        do {
            summary = try await client.run(records, inputBytes: data.count) { done, total in
                guard terminal, total > 0 else { return }
                let width = 30
                let filled = done * width / total
                printError("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total) lines",
                           terminator: done == total ? "\n" : "")
            }
        } catch {
            printError("\nreassure emit: \(error)")
            throw ExitCode(2)
        }
        if summary.resumedAfterLine > 0 { print("resumed after line \(summary.resumedAfterLine)") }
        print("accepted=\(summary.accepted) duplicates=\(summary.duplicates) rejected=\(summary.rejected.count)")
        for rejection in summary.rejected {
            print("line \(rejection.line): \(rejection.reasons.joined(separator: "; "))")
        }
        if !summary.rejected.isEmpty { throw ExitCode(1) }
    }
}
