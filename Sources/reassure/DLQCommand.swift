import AMQP
import ArgumentParser
import Foundation
import ReassureWorkers

/// `reassure dlq list|replay`: the dead-letter queue for operators.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "List and replay dead letters (queue reassure.dead).",
        subcommands: [List.self, Replay.self])

    static func connect() async throws -> AMQPConnection {
        let environment = ProcessInfo.processInfo.environment
        bootstrapLogging(environment, fallback: .warning)
        return try await AMQPConnection.connect(try AMQPConfiguration.fromEnvironment(environment, connectionName: "reassure-dlq"),
                                                topology: ReassureTopology.standard)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show dead letters: message id, routing key, the queue they died in and why. Bodies are never shown (personal data).")
        @Option(help: "At most this many.") var limit = 100
        @Flag(help: "One JSON object per line.") var json = false

        func run() async throws {
            let connection = try await DLQCommand.connect()
            let letters = try await DeadLetterQueue(connection: connection).list(limit: max(1, limit))
            await connection.close()
            if json {
                for letter in letters {
                    let object: [String: Any] = ["message_id": letter.messageID ?? NSNull(), "routing_key": letter.routingKey, "reason": letter.reason,
                                                 "queue": letter.queue ?? NSNull(), "deliveries": letter.deliveryCount]
                    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
                }
                return
            }
            guard !letters.isEmpty else { print("No dead letters."); return }
            print("MESSAGE ID                              ROUTING KEY        QUEUE               REASON")
            for letter in letters {
                print((letter.messageID ?? "-").padding(toLength: 40, withPad: " ", startingAt: 0)
                      + letter.routingKey.padding(toLength: 19, withPad: " ", startingAt: 0)
                      + (letter.queue ?? "-").padding(toLength: 20, withPad: " ", startingAt: 0) + letter.reason)
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send dead letters back to the queue they died in, once the cause is fixed.")
        @Option(help: "Only the dead letter with this message id.") var id: String?
        @Flag(help: "Replay every dead letter.") var all = false
        @Option(help: "At most this many.") var limit = 10_000

        func validate() throws {
            guard all != (id != nil) else { throw ValidationError("say which: --id MESSAGE_ID or --all") }
        }

        func run() async throws {
            let connection = try await DLQCommand.connect()
            let replayed = try await DeadLetterQueue(connection: connection).replay(messageID: id, limit: max(1, limit))
            await connection.close()
            print("replayed=\(replayed)")
            if let id, replayed == 0 { printError("no dead letter with message id \(id)"); throw ExitCode(1) }
        }
    }
}
