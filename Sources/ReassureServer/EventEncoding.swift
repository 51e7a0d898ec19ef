import AMQP
import Foundation
import ReassureCore

/// How an accepted event travels: its scrubbed, validated, normalised form as JSON (one event
/// object, not the batch), RFC 3339 times, on `reassure.events` with the event type as routing
/// key and the event id as message id, persistent.
public enum EventEncoding {
    public static func body(_ event: CaseEvent) throws -> [UInt8] {
        try JSONValueEncoder().encode(event).serialized()
    }

    public static func message(eventID: String, routingKey: String, body: [UInt8]) -> OutgoingMessage {
        OutgoingMessage(
            exchange: ReassureTopology.eventsExchange, routingKey: routingKey, body: body,
            properties: MessageProperties(contentType: "application/json", persistent: true, messageId: eventID, type: routingKey,
                                          appId: "reassure-serve"))
    }

    /// `2026-11-20T09:30:00Z`, or with milliseconds when the time has them.
    public static func rfc3339(_ date: Date) -> String {
        let fractional = date.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) != 0
        return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: fractional).timeZone(separator: .omitted))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(rfc3339(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
