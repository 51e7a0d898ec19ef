import Foundation

/// A victim's reply as a provider reports it (exchange `reassure.outcomes`, routing key
/// `reply`). `from` and `text` are personal data: never log them unmasked.
public struct InboundReply: Codable, Sendable, Equatable {
    public var provider: String
    public var providerMessageID: String
    public var channel: String
    public var from: String
    public var text: String
    public var receivedAt: Date

    public init(provider: String, providerMessageID: String, channel: String, from: String, text: String, receivedAt: Date) {
        self.provider = provider
        self.providerMessageID = providerMessageID
        self.channel = channel
        self.from = from
        self.text = text
        self.receivedAt = receivedAt
    }

    enum CodingKeys: String, CodingKey {
        case provider, providerMessageID = "provider_message_id", channel, from, text, receivedAt = "received_at"
    }

    /// The routing key replies are published with on `reassure.outcomes`.
    public static let routingKey = "reply"
}
