/// Every answer a provider can give, reduced to what the dispatcher must do next.
public enum SendResult: Sendable, Equatable {
    /// Taken for delivery; a receipt will follow with this id.
    case accepted(provider: String, providerMessageID: String)
    /// Worth retrying later with the same idempotency key (timeouts, 5xx, connection loss).
    case transientFailure(provider: String, reason: String)
    /// Retrying cannot help: try the other channel or give it to a person.
    case permanentFailure(provider: String, reason: PermanentFailure)
    /// The provider asked us to slow down; retry after the given delay.
    case rateLimited(provider: String, retryAfter: Duration)

    public var provider: String {
        switch self {
        case .accepted(let provider, _), .transientFailure(let provider, _), .permanentFailure(let provider, _),
             .rateLimited(let provider, _): provider
        }
    }

    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }
}

/// Why a provider refuses a message for good. Raw values are the codes in receipts, the store
/// and the HTTP stub provider's error bodies.
public enum PermanentFailure: String, Sendable, Equatable, Codable, CaseIterable {
    case invalidAddress = "invalid_address"
    case blocked
    case optedOutAtProvider = "opted_out"
    case rejected
}
