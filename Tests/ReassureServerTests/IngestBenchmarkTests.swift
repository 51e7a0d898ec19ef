import AMQP
import Foundation
import Logging
import ReassureServer
import Synchronization
import Testing

/// `reassure bench ingest` against the test broker, small: operators run it on development
/// brokers, so it must finish, report both yardsticks and leave nothing of its own behind.
@Suite(.serialized) struct IngestBenchmarkTests {
    @Test func aSmallRunReportsItsFiguresAndCleansUpAfterItself() async throws {
        let url = try await TestBroker.vhostURL()
        var options = IngestBenchmark.Options(amqpURL: try AMQPURL(url))
        options.events = 600
        options.batch = 100
        options.clients = 3
        options.port = Int.random(in: 20_000..<40_000)
        let reports = Mutex<[String]>([])
        var logger = Logger(label: "reassure.bench.test")
        logger.logLevel = .warning
        let figures = try await IngestBenchmark(options: options, logger: logger).run { line in
            reports.withLock { $0.append(line) }
        }
        #expect(figures.eventsPerSecond > 0)
        #expect(figures.brokerPublishPerSecond > 0)
        #expect(figures.defaultExchangePublishPerSecond > 0)
        let text = reports.withLock { $0.joined(separator: "\n") }
        #expect(text.contains("all 600 confirmed at the broker"))
        #expect(text.contains("broker before, through a topic exchange: 600 confirmed publishes"))
        #expect(text.contains("broker after, through the default exchange"))
        #expect(text.contains("messages from reassure.scheduler"))

        // Nothing of the benchmark's own is left on the broker.
        guard let node = TestBroker.node else { throw TestFailure("REASSURE_TEST_RABBITMQ_NODE is not set") }
        let queues = try await runBlocking("/usr/sbin/rabbitmqctl", ["-n", node, "-q", "list_queues", "-p", "serve-tests", "name"])
        let exchanges = try await runBlocking("/usr/sbin/rabbitmqctl", ["-n", node, "-q", "list_exchanges", "-p", "serve-tests", "name"])
        #expect(!queues.contains("bench.ingest."), "\(queues)")
        #expect(!exchanges.contains("bench.ingest."), "\(exchanges)")
        #expect(exchanges.contains("reassure.events"))
        let connection = try await AMQPConnection.connect(AMQPConfiguration(url: AMQPURL(url), connectionName: "bench-test-inspect"))
        let scheduler = try await connection.inspect(queue: "reassure.scheduler")
        await connection.close()
        #expect(scheduler.messages == 0)
    }
}
