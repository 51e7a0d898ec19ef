import AMQP
import Foundation
import ReassureServer
import Testing

/// The relay sends the next batches while earlier ones await their confirms: each event must
/// still reach the broker once, in the order the outbox holds them.
@Suite(.serialized) struct RelayTests {
    @Test func aBacklogOfManyBatchesIsPublishedOnceEachInOutboxOrder() async throws {
        let fixture = try await ServerFixture.make()
        let (tap, queue) = try await fixture.tap()
        let ids = (0..<1_200).map { String(format: "relay-%04d-", $0) + UUID().uuidString.prefix(8) }
        // Twelve batches waiting at once, so that several are in flight together.
        for chunk in stride(from: 0, to: ids.count, by: 100) {
            let rows = ids[chunk..<chunk + 100].map { (eventID: $0, routingKey: "case.reported", payload: Array("{\"id\":\"\($0)\"}".utf8)) }
            _ = try await fixture.store.acceptEvents(Array(rows))
        }
        let relay = OutboxRelay(store: fixture.store, broker: fixture.broker, batchSize: 100, idleInterval: .milliseconds(100),
                                metrics: fixture.metrics, logger: fixture.logs.logger("relay"))
        let running = Task { try await relay.run() }
        try await eventually("the outbox is empty") { try await fixture.store.outboxDepth().count == 0 }
        running.cancel()
        _ = await running.result

        let published = try await drain(tap, queue: queue) { $0.count >= ids.count }.map { $0.properties.messageId ?? "" }
        let firstDifference = published.indices.first { $0 >= ids.count || published[$0] != ids[$0] }.map(String.init) ?? "none"
        #expect(published.elementsEqual(ids), "each event once, in outbox order: \(published.count) published, first difference at \(firstDifference)")
        // Anything still queued (a copy published twice) is counted once the tap lets go.
        await tap.close()
        let checker = try await AMQPConnection.connect(AMQPConfiguration(url: AMQPURL(fixture.amqpURL), connectionName: "relay-test-check"))
        #expect(try await checker.purge(queue: queue) == 0, "no event was published twice")
        try await checker.delete(queue: queue)
        await checker.close()
        await fixture.close()
    }
}
