import AMQP
import Foundation
import Testing

/// A batch of publishes goes out as one write of frames laid out by hand (plain TCP), or one
/// `amqp_basic_publish` at a time (TLS). Either way each message must arrive exactly as sent:
/// an empty body, a body split over several frames, every property and a header table.
@Suite struct BatchedFramesTests {
    static func messages(to queue: String) -> [OutgoingMessage] {
        // Over 4 MiB in all, so a batch also goes out in more than one write.
        let sizes = [0, 1, 700, 131_072 - 8, 131_072 - 7, 300_000, 5, 4_200_000, 3]
        return sizes.enumerated().map { index, size in
            let body = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            let properties = MessageProperties(
                contentType: index.isMultiple(of: 2) ? "application/json" : nil, persistent: index != 4, messageId: "m-\(index)",
                correlationId: "c-\(index)", type: "case.reported", appId: "reassure-test", timestamp: 1_795_000_000 + UInt64(index),
                headers: ["attempt": .int(Int64(index)), "note": .string("ünïcode \(index)")])
            return OutgoingMessage(routingKey: queue, body: body, properties: properties)
        }
    }

    @Test(arguments: ["tcp", "tls"])
    func everyMessageOfABatchArrivesAsSent(_ transport: String) async throws {
        let url: String
        if transport == "tls" {
            url = try #require(ProcessInfo.processInfo.environment["REASSURE_TEST_AMQPS_URL"],
                               "REASSURE_TEST_AMQPS_URL is not set; run the suite through deploy/test.sh")
        } else {
            url = Broker.url
        }
        let queue = Broker.uniqueQueue("frames-\(transport)")
        let connection = try await AMQPConnection.connect(Broker.configuration("test-frames", url: url), topology: testQueue(queue))
        let sent = Self.messages(to: queue)
        // Twice: the second batch checks the connection is still in step after the first.
        for round in 0..<2 {
            let outcomes = await connection.publish(sent)
            #expect(outcomes == Array(repeating: .confirmed, count: sent.count), "round \(round)")
        }
        let consumer = try await connection.consume(queue: queue, prefetch: 50)
        let received = try await collect(from: consumer, timeout: .seconds(30), until: { $0.count >= 2 * sent.count }) { delivery, _ in
            consumer.ack(delivery)
        }
        #expect(received.count == 2 * sent.count)
        for (index, delivery) in received.enumerated() {
            let original = sent[index % sent.count]
            #expect(delivery.body == original.body, "body of \(original.properties.messageId ?? "")")
            var properties = delivery.properties
            properties.headers["x-delivery-count"] = nil
            #expect(properties == original.properties)
        }
        await consumer.cancel()
        try await connection.delete(queue: queue)
        await connection.close()
    }
}
