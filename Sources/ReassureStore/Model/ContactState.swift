/// Where a planned contact is in its life. Moves only along `allowedNext`, by compare-and-set
/// in the store, so two workers can never both move the same contact.
public enum ContactState: String, Sendable, Codable, CaseIterable {
    case scheduled, claimed, queued, sending, sent, delivered, failed, cancelled

    /// The legal moves. Back to `scheduled` means "try again later" (lease expired, outside
    /// sending hours, transient failure); `delivered`, `failed` and `cancelled` are final.
    public static let allowedNext: [ContactState: Set<ContactState>] = [
        .scheduled: [.claimed, .cancelled],
        .claimed: [.queued, .scheduled, .cancelled],
        .queued: [.sending, .scheduled, .cancelled],
        .sending: [.sent, .failed, .scheduled, .delivered],
        .sent: [.delivered, .failed],
        .delivered: [],
        .failed: [],
        .cancelled: [],
    ]

    public func canMove(to next: ContactState) -> Bool {
        Self.allowedNext[self]?.contains(next) ?? false
    }

    public var isFinal: Bool { Self.allowedNext[self]?.isEmpty ?? true }

    /// States that closing the case or opting out cancels (nothing has left for the gateway yet).
    public static let pending: [ContactState] = [.scheduled, .claimed, .queued]
}
