import AMQP
import Foundation
import ReassureCore

/// How an accepted event travels: its scrubbed, validated, normalised form as JSON (one event
/// object, not the batch), RFC 3339 times, on `reassure.events` with the event type as routing
/// key and the event id as message id, persistent.
public enum EventEncoding {
    public static func body(_ event: CaseEvent) -> [UInt8] {
        event.jsonBytes()
    }

    public static func message(eventID: String, routingKey: String, body: [UInt8]) -> OutgoingMessage {
        OutgoingMessage(
            exchange: ReassureTopology.eventsExchange, routingKey: routingKey, body: body,
            properties: MessageProperties(contentType: "application/json", persistent: true, messageId: eventID, type: routingKey,
                                          appId: "reassure-serve"))
    }
}
