/// What a token may do. Admin may do everything an integrator or operator may.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Records systems posting case events.
    case integrator
    /// Unit staff and operators reading cases and working tasks.
    case operator_ = "operator"
    /// Gateways (webhooks authenticate by signature, so this role is for future use).
    case gateway
    case admin
}

/// Who made a request: the token's name (for the audit log) and its role. Never the token.
public struct Identity: Sendable, Equatable {
    public var name: String
    public var role: Role
}
