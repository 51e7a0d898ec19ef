import AMQP
import ArgumentParser
import Foundation
import Logging
import ReassureServer
import ReassureWorkers

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks that print figures (run on a quiet machine).",
        subcommands: [AMQPBenchCommand.self, StoreBenchCommand.self, IngestBenchCommand.self, PipelineBenchCommand.self])
}

struct AMQPBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amqp",
        abstract: "Publish with confirms and consume with acks through the Swift wrapper and a plain C loop; print both.",
        discussion: "Uses a temporary quorum queue on REASSURE_AMQP_URL and deletes it afterwards. The final line is machine-readable.")

    @Option(help: "Messages per phase.") var messages = 100_000
    @Option(help: "Body size in bytes.") var size = 512
    @Option(help: "Unconfirmed publishes in flight.") var window = 512
    @Option(help: "Consumer prefetch.") var prefetch = 512
    @Option(help: "Rounds; figures are the medians.") var rounds = 3

    func validate() throws {
        guard messages > 0, size >= 0, window > 0, (1...65535).contains(prefetch), rounds > 0 else {
            throw ValidationError("messages, window and rounds must be positive; prefetch between 1 and 65535")
        }
    }

    func run() async throws {
        bootstrapLogging(ProcessInfo.processInfo.environment, fallback: .warning)
        var options = AMQPBenchmark.Options(url: try AMQPURL(ProcessInfo.processInfo.environment["REASSURE_AMQP_URL"] ?? AMQPURL.defaultURL))
        options.messages = messages
        options.size = size
        options.window = window
        options.prefetch = prefetch
        options.rounds = rounds
        printError("bench amqp: \(messages) persistent \(size)-byte messages per phase, quorum queue, window \(window), prefetch \(prefetch), \(rounds) rounds on \(options.url)")
        let figures = try await AMQPBenchmark(options: options).run { printError($0) }
        let publish = figures.publish.median, consume = figures.consume.median
        let cPublish = figures.cPublish.median, cConsume = figures.cConsume.median
        print(String(format: "publish_per_s=%.0f consume_per_s=%.0f c_publish_per_s=%.0f c_consume_per_s=%.0f ratio_publish=%.2f ratio_consume=%.2f",
                     publish, consume, cPublish, cConsume, publish / cPublish, consume / cConsume))
    }
}

struct PipelineBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "Events to outcomes, end to end: scheduler, clock, dispatcher, stub gateway, outcomes.",
        discussion: """
            Publishes N case.reported events (3 contacts each, all due at once) to REASSURE_AMQP_URL, then runs one worker process \
            with every role, the in-process stub gateways and a fresh SQLite store until every contact is delivered. PURGES the \
            Reassure queues on that broker first: point it at a broker (or vhost) of its own. The final line is machine-readable.
            """)

    @Option(help: "Reported cases (3 contacts each).") var cases = 2000
    @Option(help: "Working directory for the store and sent-log (default: a new temporary directory).") var directory: String?

    func validate() throws {
        guard (1...1_000_000).contains(cases) else { throw ValidationError("--cases must be between 1 and 1000000") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        bootstrapLogging(environment, fallback: .warning)
        let folder = directory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("reassure-bench-\(UUID().uuidString.prefix(8))")
        let url = environment["REASSURE_AMQP_URL"] ?? AMQPURL.defaultURL
        printError("bench pipeline: \(cases) cases × 3 contacts, SQLite in \(folder.path), broker \(try AMQPURL(url).description)")
        let figures = try await PipelineBenchmark(cases: cases, amqpURL: url, directory: folder).run { printError($0) }
        if directory == nil { try? FileManager.default.removeItem(at: folder) }
        printError(String(format: "%d contacts in %.2f s", figures.contacts, figures.seconds))
        print(String(format: "contacts_per_s=%.0f due_to_sent_p50_ms=%.0f due_to_sent_p99_ms=%.0f peak_rss_mib=%.0f",
                     figures.contactsPerSecond, figures.dueToSentP50, figures.dueToSentP99, figures.peakRSSMiB))
    }
}

struct IngestBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Concurrent HTTP clients post batches to an in-process `serve` until every event is confirmed at the broker; compare with plain confirmed publishes.",
        discussion: """
            Uses a fresh SQLite store in a temporary directory and the broker of REASSURE_AMQP_URL (use a development broker: \
            the events land in reassure.scheduler and are purged from it afterwards unless --keep). The plain publishes are \
            measured before and after the service, and the higher rate is the one compared. The final line is \
            `events_per_s=… broker_publish_per_s=… ratio=…`.
            """)

    @Option(help: "Events to send.") var events = 100_000
    @Option(help: "Events per HTTP request.") var batch = 100
    @Option(help: "Concurrent HTTP clients.") var clients = 8
    @Option(help: "Port of the in-process service.") var port = 18_089
    @Flag(help: "Leave the events in reassure.scheduler.") var keep = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        bootstrapLogging(environment, fallback: .warning)
        var options = IngestBenchmark.Options(amqpURL: try AMQPURL(environment["REASSURE_AMQP_URL"] ?? AMQPURL.defaultURL))
        options.events = events
        options.batch = batch
        options.clients = clients
        options.port = port
        options.purge = !keep
        printError("bench ingest: \(events) events in batches of \(batch), \(clients) clients, SQLite store, broker \(options.amqpURL)")
        let figures = try await IngestBenchmark(options: options, logger: Logger(label: "reassure.bench")).run { printError($0) }
        print(String(format: "events_per_s=%.0f broker_publish_per_s=%.0f ratio=%.2f", figures.eventsPerSecond, figures.brokerPublishPerSecond,
                     figures.eventsPerSecond / figures.brokerPublishPerSecond))
    }
}
