import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ReassureGateways
import ReassureGatewayStub
import Synchronization
import Testing

/// A tiny producer: records the webhooks it gets, verifying each signature, and answers 503
/// to the first `refuseFirst` requests (a producer that is down).
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let path: String
        let body: [UInt8]
        let verified: Bool
    }

    let signer: WebhookSignature
    private let state: Mutex<(received: [Received], refused: Int)>
    private let refuseFirst: Int

    init(secret: String, refuseFirst: Int = 0) {
        signer = WebhookSignature(secret: secret)
        state = Mutex(([], 0))
        self.refuseFirst = refuseFirst
    }

    var received: [Received] { state.withLock { $0.received } }
    var refused: Int { state.withLock { $0.refused } }

    func application(onPort: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        let receiver = self
        for path in ["/v1/gateway/receipts", "/v1/gateway/inbound"] {
            router.post(RouterPath(path)) { request, _ -> Response in
                let body = Array(Data(buffer: try await request.body.collect(upTo: 1 << 16)))
                let refuse = receiver.state.withLock { state in
                    if state.refused < receiver.refuseFirst {
                        state.refused += 1
                        return true
                    }
                    return false
                }
                if refuse { return Response(status: .serviceUnavailable) }
                let timestamp = request.headers[HTTPField.Name(WebhookSignature.timestampHeader)!]
                let signature = request.headers[HTTPField.Name(WebhookSignature.signatureHeader)!]
                let verified = (try? receiver.signer.verify(body, timestamp: timestamp, signature: signature)) != nil
                receiver.state.withLock { $0.received.append(Received(path: path, body: body, verified: verified)) }
                return Response(status: verified ? .ok : .unauthorized)
            }
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                           onServerRunning: { await onPort($0.localAddress?.port ?? 0) }, logger: quietLogger)
    }
}

@Suite(.timeLimit(.minutes(1))) struct ReceiptWebhookTests {
    @Test func anAcceptedMessageIsFollowedByASignedDeliveryReceiptEvenIfTheProducerWasDown() async throws {
        let receiver = WebhookReceiver(secret: "webhook-secret", refuseFirst: 2)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        try await withRunningServices([receiver.application { continuation.yield($0) }]) {
            let port = try #require(await ports.first { _ in true })
            let stub = GatewayStubConfiguration(
                name: "stub-a", apiKey: "key", faults: StubFaults(receiptDelayMS: 50),
                receiptsURL: "http://127.0.0.1:\(port)/v1/gateway/receipts", inboundURL: "http://127.0.0.1:\(port)/v1/gateway/inbound",
                webhookSecret: "webhook-secret")
            try await withGatewayStubs([stub]) { urls in
                let gateway = HTTPGateway(name: "stub-a", channel: .sms, baseURL: urls[0], apiKey: "key")
                let result = await gateway.send(message("contact-9#2"))
                guard case .accepted(_, let id) = result else { Issue.record("not accepted: \(result)"); return }

                try await eventually("the receipt arrives") { receiver.received.contains { $0.path.hasSuffix("receipts") } }
                let delivery = try #require(receiver.received.first { $0.path.hasSuffix("receipts") })
                #expect(delivery.verified)
                let receipt = try WireCoding.decoder().decode(GatewayReceipt.self, from: Data(delivery.body))
                #expect(receipt.idempotencyKey == "contact-9#2")
                #expect(receipt.providerMessageID == id)
                #expect(receipt.provider == "stub-a")
                #expect(receipt.status == .delivered)
                #expect(receiver.refused == 2, "the stub retried while the producer was down")

                let control = StubControl(baseURL: urls[0], apiKey: "key")
                try await eventually("stats count the receipt") { try await control.count("receipts_delivered") == 1 }
                #expect(try await control.count("webhook_retries") == 2)
            }
        }
    }

    @Test func aSimulatedReplyIsForwardedSigned() async throws {
        let receiver = WebhookReceiver(secret: "webhook-secret")
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        try await withRunningServices([receiver.application { continuation.yield($0) }]) {
            let port = try #require(await ports.first { _ in true })
            let stub = GatewayStubConfiguration(name: "stub-a", apiKey: "key", inboundURL: "http://127.0.0.1:\(port)/v1/gateway/inbound",
                                                webhookSecret: "webhook-secret")
            try await withGatewayStubs([stub]) { urls in
                let control = StubControl(baseURL: urls[0], apiKey: "key")
                try await control.call("POST", "/simulate/inbound", body: #"{"from":"+27821234567","text":"STOP","channel":"sms"}"#)
                try await eventually("the reply arrives") { !receiver.received.isEmpty }
                let forwarded = try #require(receiver.received.first)
                #expect(forwarded.path == "/v1/gateway/inbound")
                #expect(forwarded.verified)
                let reply = try WireCoding.decoder().decode(InboundReply.self, from: Data(forwarded.body))
                #expect(reply.from == "+27821234567")
                #expect(reply.text == "STOP")
                #expect(reply.channel == "sms")
                #expect(reply.provider == "stub-a")
            }
        }
    }
}
