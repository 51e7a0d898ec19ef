import AMQP
import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ReassureServer

/// `reassure serve`: wiring only; the service is `ReassureServer.buildApplication`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Producer service: HTTP ingest of case events, outbox relay, webhooks, read API, /metrics.",
        discussion: """
            Listens on REASSURE_HTTP_ADDR (default 127.0.0.1:8080). Reads REASSURE_STORE_URL, REASSURE_DATA_KEY \
            (or REASSURE_DATA_KEY_FILE), REASSURE_AMQP_URL, REASSURE_RATE_LIMIT_PER_MINUTE (per token, default 600) and \
            REASSURE_GATEWAY_WEBHOOK_SECRET (webhooks answer 503 without it). Keeps accepting events while the broker is \
            down; the relay publishes them when it returns. Stops gracefully on SIGTERM or SIGINT.
            """)

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        bootstrapLogging(environment, fallback: .info)
        let logger = Logger(label: "reassure.serve")
        let configuration: ServerConfiguration
        let amqp: AMQPConfiguration
        do {
            configuration = try ServerConfiguration.fromEnvironment(environment)
            amqp = try AMQPConfiguration.fromEnvironment(environment, connectionName: "reassure-serve")
        } catch {
            printError("reassure serve: \(error)")
            throw ExitCode(1)
        }
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        let store = try await openStore()
        let broker = BrokerLink(configuration: OutboxRelay.connectionConfiguration(amqp, batchSize: configuration.relayBatchSize),
                                logger: logger)
        let relay = OutboxRelay(store: store, broker: broker, batchSize: configuration.relayBatchSize, metrics: metrics, logger: logger)
        let app = buildApplication(configuration: configuration,
                                   dependencies: ServerDependencies(store: store, broker: broker, relay: relay, metrics: metrics),
                                   logger: logger)
        if configuration.webhookSecret == nil {
            logger.warning("REASSURE_GATEWAY_WEBHOOK_SECRET is not set: the gateway webhooks answer 503")
        }
        defer { logger.info("stopped") }
        do {
            try await app.runService()
        } catch {
            await broker.close()
            await store.close()
            throw error
        }
        await broker.close()
        await store.close()
    }
}
