/// One message handed to a consumer. Settle it exactly once with `AMQPConsumer.ack`/`nack`/`reject`.
public struct Delivery: Sendable {
    public let body: [UInt8]
    public let properties: MessageProperties
    public let exchange: String
    public let routingKey: String
    /// True when the broker delivered this message before (to this or another consumer).
    public let redelivered: Bool
    /// The broker's tag on the channel that delivered it; meaningless on any other channel.
    public let deliveryTag: UInt64
    /// Which connection generation delivered it: after a reconnect its tag is stale and is not acked.
    public let generation: UInt64

    /// How often a quorum queue delivered this message before (`x-delivery-count`), 0 the first time.
    public var deliveryCount: Int {
        Int(properties.headers["x-delivery-count"]?.intValue ?? 0)
    }

    /// The reason the broker gave when it dead-lettered this message (`x-first-death-reason`:
    /// `rejected`, `expired`, `delivery_limit`, `maxlen`), or Reassure's own `x-reassure-reason`.
    public var deathReason: String? {
        properties.headers["x-reassure-reason"]?.stringValue
            ?? properties.headers["x-first-death-reason"]?.stringValue
    }
}
