import ArgumentParser
import Foundation
import ReassureCore

/// `reassure validate FILE`: what an integrator runs before sending events.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate case events (JSON, a {\"events\": [...]} batch, or JSON Lines) and show every problem.",
        discussion: "Forbidden fields (immigration status, nationality, ethnicity, religion, …) are reported as removed, never echoed. Exit status 1 when any event is invalid.")

    @Argument(help: "The file to check; - reads standard input.") var file: String
    @Flag(help: "Print JSON: one object per event with index, id, valid, problems and warnings.") var json = false

    func run() throws {
        let results = try EventFile.read(file)
        var invalid = 0
        var objects: [[String: Any]] = []
        for (line, result) in results {
            let label = "event \(line)\(result.id.map { " (id \($0))" } ?? "")"
            var problems: [ValidationProblem] = []
            if case .failure(let rejection) = result.outcome { problems = rejection.problems }
            if !problems.isEmpty { invalid += 1 }
            if json {
                objects.append([
                    "index": line, "id": result.id ?? NSNull(), "valid": problems.isEmpty,
                    "problems": problems.map { ["path": $0.path, "problem": $0.problem] },
                    "warnings": result.warnings.map { ["path": $0.path, "warning": $0.warning] },
                ])
                continue
            }
            print("\(label): \(problems.isEmpty ? "valid" : "INVALID")")
            for problem in problems { print("  problem  \(problem.path): \(problem.problem)") }
            for warning in result.warnings { print("  warning  \(warning.path): \(warning.warning)") }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("\(results.count) event(s), \(results.count - invalid) valid, \(invalid) invalid")
        }
        if invalid > 0 { throw ExitCode(1) }
    }
}

/// Reads events from a file the way integrators keep them: one JSON document (an event or a
/// batch) or JSON Lines. Returns each event's line number (or position) with its intake result.
enum EventFile {
    static func read(_ path: String) throws -> [(Int, CaseEventIntake.Result)] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path)")
            }
            data = contents
        }
        let results = CaseEventIntake.process(file: data).map { ($0.line, $0.result) }
        guard !results.isEmpty else { throw ValidationError("\(path) holds no events") }
        return results
    }
}
