import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ReassureCore

/// A provider reached over HTTP with the `ProviderAPI` dialect (`reassure gateway-stub` speaks
/// it). Every answer and every failure to get one becomes a `SendResult`; `send` never throws.
///
/// Moving to a real provider means writing a client like this one for its API — build its
/// request, classify its answers — and nothing else: failover, retries, receipts and the
/// dispatcher stay as they are.
public struct HTTPGateway: Gateway {
    public let name: String
    public let channel: ReassureCore.Channel
    /// The provider's base URL, e.g. `http://127.0.0.1:9090`; `/v1/messages` is appended.
    public let baseURL: String
    private let apiKey: String
    /// The whole request — connect, send, answer — must finish within this.
    public let timeout: Duration
    private let client: HTTPClient

    /// - Parameter client: share one per process (`HTTPClient.shared` by default); the caller
    ///   owns its lifecycle.
    public init(name: String, channel: ReassureCore.Channel, baseURL: String, apiKey: String, timeout: Duration = .seconds(5),
                client: HTTPClient = .shared) {
        self.name = name
        self.channel = channel
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.timeout = timeout
        self.client = client
    }

    public func send(_ message: GatewayMessage) async -> SendResult {
        var request = HTTPClientRequest(url: baseURL + ProviderAPI.messagesPath)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.headers.add(name: ProviderAPI.idempotencyKeyHeader, value: message.idempotencyKey)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        do {
            let body = try WireCoding.encoder().encode(ProviderAPI.MessageRequest(message))
            request.body = .bytes(ByteBuffer(bytes: body))
        } catch {
            return .permanentFailure(provider: name, reason: .rejected)
        }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(inSeconds(timeout) * 1e9))
        do {
            let response = try await client.execute(request, deadline: deadline)
            let buffer = try await response.body.collect(upTo: 64 * 1024)
            return ProviderResponseClassifier.classify(
                status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                body: Array(buffer.readableBytesView), provider: name)
        } catch {
            return .transientFailure(provider: name, reason: Self.describe(error))
        }
    }

    /// A reason for logs and dead letters: what went wrong with the connection, never the request.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
                return "timeout (\(error))"
            default:
                return "connection: \(error)"
            }
        }
        if error is CancellationError { return "cancelled" }
        return "connection: \(String(describing: type(of: error)))"
    }
}
