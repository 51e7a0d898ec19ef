import AMQP
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ReassureGateways
import ReassureServer
import Testing

@Suite struct WebhookTests {
    static let timestamp = HTTPField.Name(WebhookSignature.timestampHeader)!
    static let signature = HTTPField.Name(WebhookSignature.signatureHeader)!

    func signed(_ body: [UInt8], secret: String = ServerFixture.webhookSecret, at date: Date = Date()) -> HTTPFields {
        let (timestamp, signature) = WebhookSignature(secret: secret).sign(body, at: date)
        return [.contentType: "application/json", Self.timestamp: timestamp, Self.signature: signature]
    }

    @Test func signedReportsArePublishedToTheOutcomesExchangeAndBadSignaturesGet401() async throws {
        let fixture = try await ServerFixture.make()
        let (tap, queue) = try await fixture.tap(ReassureTopology.outcomesExchange)
        let key = uniqueID("contact") + ":1"
        let receipt = GatewayReceipt(idempotencyKey: key, provider: "stub-sms", providerMessageID: "p-1", status: .delivered, at: Date())
        let receiptBody = Array(try WireCoding.encoder().encode(receipt))
        let reply = InboundReply(provider: "stub-sms", providerMessageID: uniqueID("in"), channel: "sms", from: "+27829990001",
                                 text: "HELP please call me SECRET-REPLY-TEXT",
                                 receivedAt: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        let replyBody = Array(try WireCoding.encoder().encode(reply))

        try await fixture.app.test(.router) { client in
            let unsigned = try await client.execute(uri: "/v1/gateway/receipts", method: .post, headers: [.contentType: "application/json"],
                                                    body: ByteBuffer(bytes: receiptBody))
            #expect(unsigned.status == .unauthorized)
            #expect((unsigned.object["error"] as? String ?? "").contains("missing X-Reassure-Timestamp or X-Reassure-Signature"))

            let wrongSecret = try await client.execute(uri: "/v1/gateway/receipts", method: .post,
                                                       headers: signed(receiptBody, secret: "another secret"), body: ByteBuffer(bytes: receiptBody))
            #expect(wrongSecret.status == .unauthorized)
            #expect((wrongSecret.object["error"] as? String ?? "").contains("does not match the body"))

            var tampered = receiptBody
            tampered[tampered.count - 2] ^= 1
            let changed = try await client.execute(uri: "/v1/gateway/receipts", method: .post, headers: signed(receiptBody),
                                                   body: ByteBuffer(bytes: tampered))
            #expect(changed.status == .unauthorized)

            let stale = try await client.execute(uri: "/v1/gateway/receipts", method: .post,
                                                 headers: signed(receiptBody, at: Date().addingTimeInterval(-301)), body: ByteBuffer(bytes: receiptBody))
            #expect(stale.status == .unauthorized)
            #expect((stale.object["error"] as? String ?? "").contains("more than 5 minutes"))

            let notAReceipt = Array(#"{"hello": 1}"#.utf8)
            let invalid = try await client.execute(uri: "/v1/gateway/receipts", method: .post, headers: signed(notAReceipt),
                                                   body: ByteBuffer(bytes: notAReceipt))
            #expect(invalid.status == .unprocessableContent)

            let good = try await client.execute(uri: "/v1/gateway/receipts", method: .post, headers: signed(receiptBody),
                                                body: ByteBuffer(bytes: receiptBody))
            #expect(good.status == .accepted, "\(good.text)")
            let inbound = try await client.execute(uri: "/v1/gateway/inbound", method: .post, headers: signed(replyBody),
                                                   body: ByteBuffer(bytes: replyBody))
            #expect(inbound.status == .accepted, "\(inbound.text)")
        }
        let deliveries = try await drain(tap, queue: queue) { $0.count >= 2 }
        #expect(deliveries.count == 2, "only the two good reports were published")
        let receiptDelivery = try #require(deliveries.first { $0.routingKey == GatewayReceipt.routingKey })
        #expect(try WireCoding.decoder().decode(GatewayReceipt.self, from: Data(receiptDelivery.body)).idempotencyKey == key)
        #expect(receiptDelivery.properties.persistent)
        let replyDelivery = try #require(deliveries.first { $0.routingKey == InboundReply.routingKey })
        #expect(try WireCoding.decoder().decode(InboundReply.self, from: Data(replyDelivery.body)) == reply)
        #expect(!fixture.logs.text.contains("SECRET-REPLY-TEXT"))
        #expect(!fixture.logs.text.contains("+27829990001"))
        try await tap.delete(queue: queue)
        await tap.close()
        await fixture.close()
    }

    @Test func withoutASecretTheWebhooksAnswer503SayingSo() async throws {
        let fixture = try await ServerFixture.make { $0.webhookSecret = nil }
        try await fixture.app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/gateway/inbound", method: .post, headers: signed(Array("{}".utf8)),
                                                    body: ByteBuffer(string: "{}"))
            #expect(response.status == .serviceUnavailable)
            #expect((response.object["error"] as? String ?? "").contains("REASSURE_GATEWAY_WEBHOOK_SECRET"))
        }
        await fixture.close()
    }
}
