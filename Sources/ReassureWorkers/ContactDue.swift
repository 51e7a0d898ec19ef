import AMQP
import Foundation
import ReassureGateways

/// The clock's message to the dispatcher: "this contact is due". It carries only the id; the
/// dispatcher reads the contact's current state, so a stale message can never send twice.
struct ContactDue: Codable, Sendable {
    var contactID: UUID
    var dueAt: Date

    enum CodingKeys: String, CodingKey { case contactID = "contact_id", dueAt = "due_at" }

    static let type = "contact.due"
    /// How many transient failures this contact's send has had (set on retry-tier republishes).
    static let retriesHeader = "x-reassure-retries"

    func message(to queue: String, retries: Int = 0) throws -> OutgoingMessage {
        OutgoingMessage(routingKey: queue, body: Array(try WireCoding.encoder().encode(self)),
                        properties: MessageProperties(messageId: contactID.uuidString, type: Self.type,
                                                      headers: retries > 0 ? [Self.retriesHeader: .int(Int64(retries))] : [:]))
    }

    static func decode(_ delivery: Delivery) -> ContactDue? {
        try? WireCoding.decoder().decode(ContactDue.self, from: Data(delivery.body))
    }
}
