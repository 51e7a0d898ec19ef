import Foundation
import Hummingbird
import Logging
import ReassureGateways
import ReassureStore

/// Everything the routes need, built once by `serve` (or a test).
public struct ServerDependencies: Sendable {
    public var store: Store
    public var broker: BrokerLink
    public var relay: OutboxRelay
    public var metrics: ServerMetrics

    public init(store: Store, broker: BrokerLink, relay: OutboxRelay, metrics: ServerMetrics) {
        self.store = store
        self.broker = broker
        self.relay = relay
        self.metrics = metrics
    }
}

/// The producer service: the HTTP routes plus the outbox relay as a service of the same
/// application, so `app.runService()` (or a test's `app.test`) runs both and shuts both down.
public func buildApplication(configuration: ServerConfiguration, dependencies: ServerDependencies,
                             logger: Logger = Logger(label: "reassure.serve")) -> Application<RouterResponder<ServerRequestContext>> {
    Application(
        router: buildRouter(configuration: configuration, dependencies: dependencies),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "reassure"),
        services: [dependencies.relay],
        logger: logger)
}

/// Every route, its role and its handler. `openapi.yaml` describes exactly these (a test
/// compares them).
public func buildRouter(configuration: ServerConfiguration, dependencies: ServerDependencies) -> Router<ServerRequestContext> {
    let store = dependencies.store
    let router = Router(context: ServerRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware(metrics: dependencies.metrics))
    let limiter = RateLimiter(perMinute: configuration.rateLimitPerMinute)

    router.get("health") { _, _ in try JSONBody.response(.ok, ["status": "ok"]) }
    router.get("ready") { _, _ in try await readiness(dependencies) }
    router.get("metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                 body: .init(byteBuffer: ByteBuffer(bytes: await dependencies.metrics.exposition(store: store))))
    }

    let ingest = EventIngest(store: store, relay: dependencies.relay, metrics: dependencies.metrics,
                             maxBodyBytes: configuration.maxBodyBytes, maxBatchEvents: configuration.maxBatchEvents)
    router.group("v1/events")
        .add(middleware: RoleMiddleware(roles: [.integrator], store: store, limiter: limiter))
        .post(use: ingest.handle)

    let read = ReadAPI(store: store)
    let operators = router.group("v1").add(middleware: RoleMiddleware(roles: [.operator_], store: store, limiter: limiter))
    operators.get("cases/{reference}", use: read.caseView)
    operators.get("tasks", use: read.openTasks)
    operators.post("tasks/{id}/done", use: read.completeTask)

    let webhooks = GatewayWebhooks(signature: configuration.webhookSecret.map { WebhookSignature(secret: $0) }, broker: dependencies.broker)
    router.post("v1/gateway/receipts", use: webhooks.receipt)
    router.post("v1/gateway/inbound", use: webhooks.inbound)
    return router
}

private struct Readiness: Encodable {
    var status: String
    var store: String
    var broker: String
    var error: String?
}

/// 200 when the store answers and the broker is connected; 503 saying which is not.
private func readiness(_ dependencies: ServerDependencies) async throws -> Response {
    let storeOK = (try? await dependencies.store.outboxDepth()) != nil
    let brokerOK = await dependencies.broker.isReachable()
    let ready = storeOK && brokerOK
    let failing = [storeOK ? nil : "store", brokerOK ? nil : "broker"].compactMap { $0 }
    return try JSONBody.response(ready ? .ok : .serviceUnavailable, Readiness(
        status: ready ? "ready" : "not ready", store: storeOK ? "ok" : "unreachable", broker: brokerOK ? "ok" : "unreachable",
        error: ready ? nil : "not ready: \(failing.joined(separator: " and ")) unreachable"))
}
