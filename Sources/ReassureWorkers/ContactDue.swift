import AMQP
import Foundation
import ReassureCore
import ReassureGateways

/// The clock's message to the dispatcher: "these contacts are due". It carries only ids; the
/// dispatcher reads each contact's current state, so a stale message can never send twice.
///
/// The clock sends up to `perMessage` contacts in one message (`{"contacts": [...]}`): a
/// message per contact cost the broker more than the whole dispatcher. Retry tiers, the
/// sweeper's re-queues and dead letters carry one contact (`{"contact_id", "due_at"}`); the
/// dispatcher takes both shapes.
struct ContactDue: Codable, Sendable, Equatable {
    var contactID: UUID
    var dueAt: Date

    enum CodingKeys: String, CodingKey { case contactID = "contact_id", dueAt = "due_at" }

    static let type = "contact.due"
    /// Contacts per clock message: small enough that several dispatchers share a claim.
    static let perMessage = 50
    /// How many transient failures this contact's send has had (set on retry-tier republishes).
    static let retriesHeader = "x-reassure-retries"

    struct Batch: Codable {
        var contacts: [ContactDue]
    }

    /// One contact, for a retry tier or a re-queue.
    func message(to queue: String, retries: Int = 0) throws -> OutgoingMessage {
        OutgoingMessage(routingKey: queue, body: try WireCoding.encode(self),
                        properties: MessageProperties(messageId: contactID.uuidString, type: Self.type,
                                                      headers: retries > 0 ? [Self.retriesHeader: .int(Int64(retries))] : [:]))
    }

    /// `dues` in messages of up to `perMessage` contacts each.
    static func messages(_ dues: [ContactDue], to queue: String) -> [OutgoingMessage] {
        stride(from: 0, to: dues.count, by: perMessage).map { start in
            let chunk = Array(dues[start..<min(start + perMessage, dues.count)])
            // The first contact's id names the message: unique, and findable in the dead-letter list.
            return OutgoingMessage(routingKey: queue, body: jsonBytes(chunk),
                                   properties: MessageProperties(messageId: "\(chunk[0].contactID.uuidString)+\(chunk.count - 1)", type: type,
                                                                 headers: BatchedMessage.headers(count: chunk.count)))
        }
    }

    /// A clock message's body as `WireCoding.encode` writes a `Batch`, by hand: the clock
    /// writes one per 50 due contacts (`BatchedMessageTests` compares the two).
    static func jsonBytes(_ dues: [ContactDue]) -> [UInt8] {
        var writer = JSONTextWriter(capacity: 24 + 90 * dues.count)
        writer.object { out in
            out.member("contacts") { out in
                out.array { out in
                    for due in dues {
                        out.object { out in
                            out.member("contact_id", UUIDText.string(due.contactID))
                            out.member("due_at", due.dueAt)
                        }
                    }
                }
            }
        }
        return writer.bytes
    }

    /// The contacts a message names (either shape); nil when it is not a `contact.due` message.
    static func decode(_ delivery: Delivery) -> [ContactDue]? {
        guard let value = try? JSONValue.parse(Data(delivery.body)) else { return nil }
        if value["contacts"] != nil {
            guard let batch = try? JSONValueDecoder().decode(Batch.self, from: value), !batch.contacts.isEmpty else { return nil }
            return batch.contacts
        }
        return (try? JSONValueDecoder().decode(ContactDue.self, from: value)).map { [$0] }
    }
}
