import AMQP
import Foundation
import HTTPTypes
import Hummingbird
import ReassureCore
import ReassureGateways

/// `POST /v1/gateway/receipts` and `/v1/gateway/inbound`: providers report delivery and
/// replies. The HMAC signature over the raw body and timestamp is the authentication
/// (providers hold no bearer token); an accepted report is published to `reassure.outcomes`
/// with confirms before the 202, else 503 so the provider retries.
struct GatewayWebhooks: Sendable {
    static let maxBodyBytes = 64 * 1024
    static let timestampField = HTTPField.Name(WebhookSignature.timestampHeader)!
    static let signatureField = HTTPField.Name(WebhookSignature.signatureHeader)!

    let signature: WebhookSignature?
    let broker: BrokerLink

    func receipt(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let receipt = try await verifiedBody(GatewayReceipt.self, request)
        try await publish(receipt, routingKey: GatewayReceipt.routingKey, messageID: "\(receipt.idempotencyKey):\(receipt.status.rawValue)")
        context.logger.info("gateway receipt accepted", metadata: ["idempotency_key": "\(receipt.idempotencyKey)", "status": "\(receipt.status.rawValue)"])
        return try JSONBody.response(.accepted, ["status": "accepted"])
    }

    func inbound(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let reply = try await verifiedBody(InboundReply.self, request)
        try await publish(reply, routingKey: InboundReply.routingKey, messageID: "\(reply.provider):\(reply.providerMessageID)")
        // The sender and the text are personal data: neither is logged.
        context.logger.info("inbound reply accepted", metadata: ["provider": "\(reply.provider)", "channel": "\(reply.channel)"])
        return try JSONBody.response(.accepted, ["status": "accepted"])
    }

    private func verifiedBody<Value: Decodable>(_ type: Value.Type, _ request: Request) async throws -> Value {
        guard let signature else {
            throw APIError(.serviceUnavailable, "webhooks are off: set REASSURE_GATEWAY_WEBHOOK_SECRET (the secret shared with the gateways)")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "a webhook body is at most \(Self.maxBodyBytes) bytes")
        }
        let bytes = Array(buffer: body)
        do {
            try signature.verify(bytes, timestamp: request.headers[Self.timestampField], signature: request.headers[Self.signatureField])
        } catch {
            throw APIError(.unauthorized, "webhook signature refused: \(error.description)")
        }
        do {
            return try WireCoding.decoder().decode(Value.self, from: Data(bytes))
        } catch {
            throw APIError(.unprocessableContent, "the body is not a valid \(Value.self == GatewayReceipt.self ? "receipt" : "inbound reply")",
                           problems: [Self.problem(error)])
        }
    }

    private func publish(_ value: some Encodable, routingKey: String, messageID: String) async throws {
        guard let connection = await broker.current(), await connection.isConnected else {
            throw APIError(.serviceUnavailable, "the broker is unreachable; the report was not taken: retry")
        }
        let message = OutgoingMessage(
            exchange: ReassureTopology.outcomesExchange, routingKey: routingKey, body: Array(try WireCoding.encoder().encode(value)),
            properties: MessageProperties(contentType: "application/json", persistent: true, messageId: messageID, type: routingKey,
                                          appId: "reassure-serve"))
        guard await connection.publish(message).isConfirmed else {
            throw APIError(.serviceUnavailable, "the broker did not confirm the report; it was not taken: retry")
        }
    }

    /// Where the decoding failed, without the value.
    private static func problem(_ error: Error) -> ValidationProblem {
        guard let decoding = error as? DecodingError else { return ValidationProblem(path: "$", problem: "not valid JSON") }
        switch decoding {
        case .keyNotFound(let key, let context):
            return ValidationProblem(path: (context.codingPath + [key]).map(\.stringValue).joined(separator: "."), problem: "is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return ValidationProblem(path: context.codingPath.map(\.stringValue).joined(separator: "."), problem: "has the wrong type")
        case .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return ValidationProblem(path: path.isEmpty ? "$" : path, problem: path.isEmpty ? "not valid JSON" : "is not valid here (\(context.debugDescription))")
        @unknown default:
            return ValidationProblem(path: "$", problem: "unreadable")
        }
    }
}
