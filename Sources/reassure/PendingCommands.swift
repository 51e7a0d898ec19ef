import ArgumentParser

// Subcommands whose issues have not landed yet. Each moves to a file of its own when built.

struct ReportCommand: NotBuiltYet {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reach and outcome reports for units.")
    static let arrivesWith = "a later issue (reports)"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
