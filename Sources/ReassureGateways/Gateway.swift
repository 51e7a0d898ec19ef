import ReassureCore

/// One way out of Reassure for one channel: an SMS or email provider, a stub of one, or a
/// failover set of several. A send must be idempotent on `message.idempotencyKey`: the
/// dispatcher re-sends with the same key after a crash, and the provider must treat the second
/// send as the first.
public protocol Gateway: Sendable {
    /// The provider's name, as it appears in metrics and receipts.
    var name: String { get }
    var channel: Channel { get }
    func send(_ message: GatewayMessage) async -> SendResult
    /// What the provider knows of a message sent with this key: the sweeper asks when a receipt
    /// is overdue. Nil when the provider cannot tell (the default) or never accepted it.
    func lookup(idempotencyKey: String) async -> GatewayReceipt?
}

extension Gateway {
    public func lookup(idempotencyKey: String) async -> GatewayReceipt? { nil }
}

/// What goes to a provider. `to` and `body` are personal data: never log them unmasked.
public struct GatewayMessage: Sendable, Equatable {
    public var idempotencyKey: String
    public var channel: Channel
    public var to: String
    public var sender: String
    public var language: String
    public var body: String
    public var subject: String?
    public var html: String?
    public var segments: Int

    public init(idempotencyKey: String, channel: Channel, to: String, sender: String, language: String, body: String,
                subject: String? = nil, html: String? = nil, segments: Int) {
        self.idempotencyKey = idempotencyKey
        self.channel = channel
        self.to = to
        self.sender = sender
        self.language = language
        self.body = body
        self.subject = subject
        self.html = html
        self.segments = segments
    }
}
