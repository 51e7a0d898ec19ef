import ArgumentParser

/// A subcommand the design names whose issue has not landed: it says so and exits 2,
/// rather than pretending to work.
protocol NotBuiltYet: ParsableCommand {
    /// The issue that builds it, e.g. "#6 (producer service)".
    static var arrivesWith: String { get }
    var arguments: [String] { get }
}

extension NotBuiltYet {
    func run() throws {
        let name = Self.configuration.commandName ?? "this command"
        printError("reassure \(name) is not built yet: it arrives with issue \(Self.arrivesWith). Nothing was done.")
        throw ExitCode(2)
    }
}

func printError(_ line: String, terminator: String = "\n") {
    var standardError = StandardError()
    print(line, terminator: terminator, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

import Foundation
