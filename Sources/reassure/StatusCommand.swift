import AMQP
import ArgumentParser
import Foundation

/// What operators look at first. Today: the broker side (queues, depths, consumers); the
/// store side (backlog, outcomes, tasks) joins when the store lands.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Queues and their depths and consumers (declares the topology if missing).",
        discussion: "Reads REASSURE_AMQP_URL. Store figures (backlog, outcomes, open tasks) arrive with the store and workers issues.")

    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        bootstrapLogging(ProcessInfo.processInfo.environment, fallback: .warning)
        let configuration = try AMQPConfiguration.fromEnvironment(ProcessInfo.processInfo.environment, connectionName: "reassure-status")
        let connection: AMQPConnection
        do {
            connection = try await AMQPConnection.connect(configuration, topology: ReassureTopology.standard)
        } catch let error as AMQPError {
            printError("reassure status: \(error)")
            throw ExitCode(1)
        }
        var rows: [(queue: String, messages: Int, consumers: Int)] = []
        for queue in ReassureTopology.standard.queues.map(\.name) {
            let figures = try await connection.inspect(queue: queue)
            rows.append((queue, figures.messages, figures.consumers))
        }
        await connection.close()
        if json {
            let objects = rows.map { ["queue": $0.queue, "messages_ready": $0.messages, "consumers": $0.consumers] as [String: Any] }
            let data = try JSONSerialization.data(withJSONObject: ["broker": configuration.url.description, "queues": objects],
                                                  options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("broker \(configuration.url)")
            let width = rows.map(\.queue.count).max() ?? 10
            print("QUEUE".padding(toLength: width, withPad: " ", startingAt: 0) + "  READY  CONSUMERS")
            for row in rows {
                print(row.queue.padding(toLength: width, withPad: " ", startingAt: 0)
                      + "  " + String(row.messages).leftPadded(5) + "  " + String(row.consumers).leftPadded(9))
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
