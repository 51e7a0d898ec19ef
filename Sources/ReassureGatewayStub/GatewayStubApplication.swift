import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ReassureGateways

/// Builds `reassure gateway-stub`: the HTTP API (`buildGatewayStubRouter`) and the webhook
/// outbox that posts receipts and replies, as one Hummingbird application. The command and the
/// tests build it the same way; a test passes port 0 and learns the port from `onServerRunning`.
public func buildGatewayStubApplication(
    _ configuration: GatewayStubConfiguration,
    logger: Logger = Logger(label: "reassure.gateway-stub"),
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let outbox = WebhookOutbox(secret: configuration.webhookSecret, logger: logger)
    let provider: StubProvider
    do {
        provider = try StubProvider(configuration: configuration, outbox: outbox, logger: logger)
    } catch {
        throw GatewayStubStartError("cannot open the sent-log \(configuration.sentLogPath ?? "")", underlying: error)
    }
    return Application(
        router: buildGatewayStubRouter(provider: provider),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "reassure-gateway-stub"),
        services: [outbox],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Runs the stub until SIGINT or SIGTERM (what `reassure gateway-stub` does).
/// Throws `GatewayStubStartError` when the sent-log cannot be opened.
public func runGatewayStub(_ configuration: GatewayStubConfiguration, logger: Logger,
                           onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) async throws {
    let app = try buildGatewayStubApplication(configuration, logger: logger, onServerRunning: onServerRunning)
    try await app.runService()
}

/// The stub could not start; the description says what to fix.
public struct GatewayStubStartError: Error, CustomStringConvertible {
    public let description: String
    public let underlying: any Error
    init(_ description: String, underlying: any Error) {
        self.description = "\(description): \(underlying.localizedDescription)"
        self.underlying = underlying
    }
}

/// The routes (see README "Gateways"):
/// - `POST /v1/messages` — send one message (`ProviderAPI`).
/// - `GET /v1/messages/stats` — counts for tests and operators.
/// - `GET /control`, `POST /control` — read or change injected faults, e.g. `{"transient_rate":1}`.
/// - `POST /simulate/inbound` — `{"from","text","channel"}`: a victim's reply, forwarded signed.
/// All need `Authorization: Bearer <api key>`.
func buildGatewayStubRouter(provider: StubProvider) -> Router<BasicRequestContext> {
    let router = Router()
    let apiKey = provider.configuration.apiKey

    router.post(RouterPath(ProviderAPI.messagesPath)) { request, context -> Response in
        guard authorized(request, apiKey: apiKey) else {
            await provider.countUnauthorized()
            return json(401, ProviderAPI.ErrorBody(error: "unauthorized", message: "missing or wrong bearer API key"))
        }
        let latency = await provider.faults.latencyMS
        if latency > 0 { try await Task.sleep(for: .milliseconds(latency)) }
        guard let name = HTTPField.Name(ProviderAPI.idempotencyKeyHeader), let key = request.headers[name], !key.isEmpty,
              key.count <= 255 else {
            await provider.countInvalid()
            return json(400, ProviderAPI.ErrorBody(error: "missing_idempotency_key", message: "send an Idempotency-Key header (1–255 characters)"))
        }
        let body = try await request.body.collect(upTo: 256 * 1024)
        guard let message = try? JSONDecoder().decode(ProviderAPI.MessageRequest.self, from: Data(buffer: body)),
              ["sms", "email"].contains(message.channel), !message.body.isEmpty else {
            await provider.countInvalid()
            return json(400, ProviderAPI.ErrorBody(error: "invalid_request", message: "expected JSON with channel (sms|email), to, from, language, body"))
        }
        switch await provider.submit(message, key: key) {
        case .accepted(let id, let duplicate):
            return json(duplicate ? 200 : 202, ProviderAPI.Accepted(id: id))
        case .refused(let status, let code, let retryAfter):
            var response = json(status, ProviderAPI.ErrorBody(error: code))
            if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
    }

    router.get("/v1/messages/stats") { request, _ -> Response in
        guard authorized(request, apiKey: apiKey) else { return json(401, ProviderAPI.ErrorBody(error: "unauthorized")) }
        return json(200, await provider.statistics())
    }

    router.get("/control") { request, _ -> Response in
        guard authorized(request, apiKey: apiKey) else { return json(401, ProviderAPI.ErrorBody(error: "unauthorized")) }
        return json(200, await provider.faults)
    }

    router.post("/control") { request, _ -> Response in
        guard authorized(request, apiKey: apiKey) else { return json(401, ProviderAPI.ErrorBody(error: "unauthorized")) }
        let body = try await request.body.collect(upTo: 16 * 1024)
        guard let change = try? JSONDecoder().decode(StubFaultsChange.self, from: Data(buffer: body)) else {
            return json(400, ProviderAPI.ErrorBody(error: "invalid_request", message: "expected JSON with transient_rate, permanent_rate, latency_ms, receipt_delay_ms or rate_limit_per_minute"))
        }
        switch await provider.change(change) {
        case .success(let faults): return json(200, faults)
        case .failure(let refusal): return json(400, ProviderAPI.ErrorBody(error: "invalid_request", message: refusal.message))
        }
    }

    router.post("/simulate/inbound") { request, _ -> Response in
        guard authorized(request, apiKey: apiKey) else { return json(401, ProviderAPI.ErrorBody(error: "unauthorized")) }
        struct Simulated: Decodable { var from: String; var text: String; var channel: String? }
        let body = try await request.body.collect(upTo: 16 * 1024)
        guard let reply = try? JSONDecoder().decode(Simulated.self, from: Data(buffer: body)), !reply.from.isEmpty else {
            return json(400, ProviderAPI.ErrorBody(error: "invalid_request", message: "expected JSON with from, text and optional channel"))
        }
        guard let id = await provider.simulateInbound(from: reply.from, text: reply.text, channel: reply.channel ?? "sms") else {
            return json(409, ProviderAPI.ErrorBody(error: "no_inbound_url", message: "start the stub with --inbound-url to forward replies"))
        }
        return json(202, ProviderAPI.Accepted(id: id, status: "forwarded"))
    }
    return router
}

private func authorized(_ request: Request, apiKey: String) -> Bool {
    guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
    let given = Array(header.utf8.dropFirst(7))
    let expected = Array(apiKey.utf8)
    // Compare in constant time for equal lengths, so the key cannot be guessed byte by byte.
    guard given.count == expected.count else { return false }
    return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}

private func json(_ status: Int, _ value: some Encodable) -> Response {
    let data = (try? WireCoding.encoder().encode(value)) ?? Data("{}".utf8)
    return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
