@testable import AMQP
import Foundation
import ReassureCore
import ReassureGateways
import ReassureStore
import Testing

@testable import ReassureWorkers

/// The clock sends due contacts, and the in-process stubs' receipts, many to a message. One
/// bad item in such a message must cost only itself: the rest are handled, the message is
/// settled once, and the poison alone reaches the dead-letter queue.
@Suite(.serialized) struct BatchedMessageTests {
    @Test func dueContactsTravelInMessagesOfFiftyAndComeBackIntact() throws {
        let dues = (0..<120).map { ContactDue(contactID: UUID(), dueAt: Date(timeIntervalSince1970: 1_795_000_000 + Double($0))) }
        let messages = ContactDue.messages(dues, to: ReassureTopology.dispatchQueue)
        #expect(messages.map { $0.properties.headers[BatchedMessage.countHeader]?.intValue } == [50, 50, 20])
        let decoded = messages.flatMap { message in
            ContactDue.decode(Delivery(body: message.body, properties: message.properties, exchange: "", routingKey: message.routingKey,
                                       redelivered: false, deliveryTag: 1, generation: 1)) ?? []
        }
        #expect(decoded == dues)
        // The hand-written body is the one Codable writes, to the byte, with and without milliseconds.
        let mixed = dues.prefix(20).map { ContactDue(contactID: $0.contactID, dueAt: $0.dueAt.addingTimeInterval(0.125)) } + dues.prefix(30)
        #expect(ContactDue.jsonBytes(Array(mixed)) == (try WireCoding.encode(ContactDue.Batch(contacts: Array(mixed)))))
        // A retry tier's single-contact message reads the same way.
        let single = try dues[0].message(to: ReassureTopology.dispatchQueue)
        #expect(ContactDue.decode(Delivery(body: single.body, properties: single.properties, exchange: "", routingKey: "",
                                           redelivered: false, deliveryTag: 2, generation: 1)) == [dues[0]])
        #expect(ContactDue.decode(Delivery(body: Array(#"{"contacts":[]}"#.utf8), properties: MessageProperties(), exchange: "",
                                           routingKey: "", redelivered: false, deliveryTag: 3, generation: 1)) == nil)
    }

    @Test func outcomesReadOneReceiptOrAnArrayOfThem() throws {
        let receipt = GatewayReceipt(idempotencyKey: "k1", provider: "stub-sms", providerMessageID: "p1", status: .delivered,
                                     at: Date(timeIntervalSince1970: 1_795_000_000.25))
        let single = Data(try WireCoding.encoder().encode(receipt))
        #expect(OutcomesService.receipts(in: single)?.map(\.idempotencyKey) == ["k1"])
        let many = Data(try WireCoding.encode([receipt, receipt]))
        #expect(OutcomesService.receipts(in: many)?.count == 2)
        #expect(OutcomesService.receipts(in: many)?.first?.at == receipt.at)
        #expect(OutcomesService.receipts(in: Data("[]".utf8)) == nil)
        #expect(OutcomesService.receipts(in: Data("{not json".utf8)) == nil)
    }

    @Test func aDueMessageNamingAnUnknownContactDeadLettersOnlyThatContact() async throws {
        let harness = try await WorkerHarness.make()
        let scheduler = try await harness.startWorkers([.scheduler])
        try await harness.publish([reportedEvent(reference: "CAS 311/11/2026")])
        var claimed: [ContactRecord] = []
        try await eventually("the acknowledgement is scheduled and claimed") {
            claimed += try await harness.store.claimDueContacts(now: Date(), limit: 10, perUnit: 10, owner: "test", lease: 300)
            return !claimed.isEmpty
        }
        try await scheduler.stop()
        let acknowledgement = try #require(claimed.first)
        let unknown = UUID()
        let due = ISO8601DateFormatter().string(from: Date())
        let body = #"{"contacts":[{"contact_id":"\#(unknown.uuidString)","due_at":"\#(due)"},{"contact_id":"\#(acknowledgement.id.uuidString)","due_at":"\#(due)"}]}"#
        let dispatcher = try await harness.startWorkers([.dispatcher, .outcomes])
        await harness.publishRaw(Array(body.utf8), exchange: "", routingKey: ReassureTopology.dispatchQueue)

        try await eventually("the known contact is delivered") {
            try await harness.store.contact(acknowledgement.id)?.state == .delivered
        }
        let dead = try await harness.broker.consume(queue: ReassureTopology.deadLetterQueue, prefetch: 10)
        var letters: [Delivery] = []
        for try await delivery in dead.deliveries {
            letters.append(delivery)
            _ = dead.ack(delivery)
            break
        }
        await dead.cancel()
        try await dispatcher.stop()
        let letter = try #require(letters.first)
        #expect(letter.deathReason == "no stored contact with this id")
        #expect(ContactDue.decode(letter)?.map(\.contactID) == [unknown])
        #expect(try harness.sent().filter { $0.idempotencyKey.hasPrefix(acknowledgement.id.uuidString) }.count == 1)
        // The message was settled once: nothing is left in the dispatch queue, nothing else was dead-lettered.
        #expect(try await harness.broker.inspect(queue: ReassureTopology.dispatchQueue).messages == 0)
        #expect(try await harness.broker.inspect(queue: ReassureTopology.deadLetterQueue).messages == 0)
        try await harness.close()
    }
}
