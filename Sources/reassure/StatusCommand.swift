import AMQP
import ArgumentParser
import Foundation
import ReassureCore
import ReassureStore

/// What operators look at first: the broker side (queues, depths, consumers, dead letters) and,
/// when the store can be opened, its side (contacts by state, reach by channel and language,
/// the due-but-unsent backlog and its oldest item, open tasks for people, the outbox).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Queues, backlog, outcomes by channel and language, open tasks (declares the topology if missing).",
        discussion: "Reads REASSURE_AMQP_URL, and REASSURE_STORE_URL with REASSURE_DATA_KEY(_FILE) for the store figures (skipped, with a note, when no key is set). Counts only: no personal data.")

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
        let environment = ProcessInfo.processInfo.environment
        var summary: StoreSummary?
        var storeNote: String?
        if environment["REASSURE_DATA_KEY"] != nil || environment["REASSURE_DATA_KEY_FILE"] != nil {
            do {
                let store = try await Store.open(environment: environment)
                summary = try await store.summary(now: try ClockConfiguration.clock(from: environment).now())
                await store.close()
            } catch {
                storeNote = "store: \(error)"
            }
        } else {
            storeNote = "store: not shown (set REASSURE_DATA_KEY or REASSURE_DATA_KEY_FILE)"
        }
        if json {
            let objects = rows.map { ["queue": $0.queue, "messages_ready": $0.messages, "consumers": $0.consumers] as [String: Any] }
            var object: [String: Any] = ["broker": configuration.url.description, "queues": objects]
            if let summary {
                object["store"] = ["contacts": summary.contacts, "reached": summary.reached, "open_tasks": summary.openTasks,
                                   "due_backlog": summary.dueBacklog, "oldest_due_seconds": Int(summary.oldestDueAge),
                                   "outbox_depth": summary.outboxDepth] as [String: Any]
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("broker \(configuration.url)")
            let width = rows.map(\.queue.count).max() ?? 10
            print("QUEUE".padding(toLength: width, withPad: " ", startingAt: 0) + "  READY  CONSUMERS")
            for row in rows {
                print(row.queue.padding(toLength: width, withPad: " ", startingAt: 0)
                      + "  " + String(row.messages).leftPadded(5) + "  " + String(row.consumers).leftPadded(9))
            }
            if let summary {
                func line(_ counts: [String: Int]) -> String {
                    counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                }
                print("contacts: \(line(summary.contacts))")
                print("reached (channel/language): \(line(summary.reached))")
                print("due but unsent: \(summary.dueBacklog) (oldest waiting \(Int(summary.oldestDueAge)) s)   outbox: \(summary.outboxDepth)")
                print("open tasks: \(line(summary.openTasks))")
            }
        }
        if let storeNote { printError(storeNote) }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
