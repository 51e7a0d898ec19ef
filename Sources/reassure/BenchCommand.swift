import AMQP
import ArgumentParser
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks that print figures (run on a quiet machine).",
        subcommands: [AMQPBenchCommand.self, StoreBenchCommand.self, PipelineBenchPending.self])
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

struct PipelineBenchPending: NotBuiltYet {
    static let configuration = CommandConfiguration(commandName: "pipeline", abstract: "Events to outcomes, end to end.")
    static let arrivesWith = "#7 (workers)"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
