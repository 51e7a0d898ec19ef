import ArgumentParser

// Subcommands whose issues have not landed yet. Each moves to a file of its own when built.

struct ServeCommand: NotBuiltYet {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Producer service: HTTP ingest of case events, outbox relay, webhooks, dashboard, /metrics.")
    static let arrivesWith = "#6 (producer service)"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

struct WorkerCommand: NotBuiltYet {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Worker roles: scheduler, clock, dispatcher, outcomes.")
    static let arrivesWith = "#7 (workers)"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

struct EmitCommand: NotBuiltYet {
    static let configuration = CommandConfiguration(
        commandName: "emit", abstract: "Send case events from a JSON Lines or CSV file to the HTTP API, resumably.")
    static let arrivesWith = "#6 (producer service)"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

struct DLQCommand: NotBuiltYet {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "List and replay dead letters.")
    static let arrivesWith = "#7 (workers)"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

struct TokenCommand: NotBuiltYet {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke API tokens.")
    static let arrivesWith = "#6 (producer service)"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

struct GatewayStubCommand: NotBuiltYet {
    static let configuration = CommandConfiguration(
        commandName: "gateway-stub", abstract: "A stand-in SMS/email provider over HTTP, with signed receipts and simulated replies.")
    static let arrivesWith = "#5 (gateways)"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

struct ReportCommand: NotBuiltYet {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reach and outcome reports for units.")
    static let arrivesWith = "a later issue (reports)"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
