import Foundation

/// The AMQP basic properties Reassure uses. Messages are persistent unless said otherwise:
/// a message that exists only in memory can be lost by a broker restart.
public struct MessageProperties: Sendable, Equatable {
    public var contentType: String?
    public var persistent: Bool
    /// Idempotency key of the message (Reassure: the event id or contact id + attempt).
    public var messageId: String?
    public var correlationId: String?
    public var type: String?
    public var appId: String?
    /// Seconds since 1970, as AMQP carries it.
    public var timestamp: UInt64?
    public var expiration: String?
    public var headers: [String: FieldValue]

    public init(
        contentType: String? = "application/json", persistent: Bool = true, messageId: String? = nil,
        correlationId: String? = nil, type: String? = nil, appId: String? = nil, timestamp: UInt64? = nil,
        expiration: String? = nil, headers: [String: FieldValue] = [:]
    ) {
        self.contentType = contentType
        self.persistent = persistent
        self.messageId = messageId
        self.correlationId = correlationId
        self.type = type
        self.appId = appId
        self.timestamp = timestamp
        self.expiration = expiration
        self.headers = headers
    }
}

/// A message to publish.
public struct OutgoingMessage: Sendable, Equatable {
    /// Empty string: the default exchange (routing key = queue name).
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var properties: MessageProperties
    /// Ask the broker to return the message when no queue takes it (reported as `.returned`).
    public var mandatory: Bool

    public init(exchange: String = "", routingKey: String, body: [UInt8], properties: MessageProperties = .init(),
                mandatory: Bool = true) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}

/// What the broker said about one published message.
public enum PublishOutcome: Sendable, Equatable {
    /// The broker took responsibility for the message (it is on disk in every queue it routed to).
    case confirmed
    /// The broker refused the message (for example: a queue at its length limit with `reject-publish`).
    case nacked
    /// No queue took the message; the broker returned it (mandatory flag).
    case returned(replyCode: Int, replyText: String)
    /// No answer will come (the connection or channel died, or it was closed): publish again.
    case failed(AMQPError)

    /// True only for `.confirmed`: anything else must be retried or reported.
    public var isConfirmed: Bool { self == .confirmed }
}
