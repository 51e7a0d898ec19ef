import ArgumentParser

/// The one executable: each subcommand is a process role or an operator/integrator tool.
/// This file only lists them; each lives in its own file.
@main
struct Reassure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reassure",
        abstract: "Reassurance contact for victims of crime: check-ins by SMS or email, in the victim's own language, on a schedule.",
        discussion: """
            Victim-support units use Reassure to keep in touch with victims after a crime is reported, \
            separately from the investigation. Records systems send case events to `reassure serve` \
            (HTTP, made durable in an outbox, relayed to RabbitMQ with publisher confirms). \
            `reassure worker` turns events into contact plans in the store (SQLite by default, \
            PostgreSQL at scale), publishes contacts when they are due, sends them through SMS/email \
            gateways in the victim's language within sending hours, and records receipts, replies \
            (STOP, START, CALL, HELP) and tasks for people. Every role can run many times, on many \
            machines.

            Operators: `reassure status`, `reassure dlq`, the dashboard and /metrics. \
            Integrators: `reassure emit`, `reassure validate`, `reassure plan`. \
            Configuration comes from REASSURE_* environment variables (see README.md).
            """,
        subcommands: [
            ServeCommand.self, WorkerCommand.self, EmitCommand.self, StatusCommand.self, DLQCommand.self,
            MigrateCommand.self, TokenCommand.self, PlanCommand.self, ValidateCommand.self, TemplatesCommand.self,
            GatewayStubCommand.self, PurgeCommand.self, KeysCommand.self, ReportCommand.self, BenchCommand.self,
        ]
    )
}
