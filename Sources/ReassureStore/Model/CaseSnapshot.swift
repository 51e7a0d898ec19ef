import Foundation

/// Everything the workers need to plan or send for one victim of one case, decrypted. Reading
/// it is machine use (planning, sending) and is not audited; never log its personal fields.
public struct CaseSnapshot: Sendable, Equatable {
    public var caseID: UUID
    public var victimID: UUID
    public var reference: String
    public var unit: String
    public var category: String?
    public var priority: String
    public var caseOpen: Bool
    public var openedAt: Date
    public var officerPhone: String?
    public var victimRef: String
    public var givenName: String?
    public var phone: String?
    public var email: String?
    public var languages: [String]
    public var timezone: String
    public var windowsJSON: String
    public var preferredChannel: String?
    public var safeToContact: String
    public var consentStatus: String
    public var optedOut: Bool
    public var discreetContact: Bool
}

/// A contact that is due for dispatch together with its case and victim.
public struct DispatchItem: Sendable, Equatable {
    public var contact: ContactRecord
    public var snapshot: CaseSnapshot
}

/// What happened to one contact, for the read API, reports and tests: everything needed to
/// compare reach and timeliness later (language, template version, channel, segments, attempts).
public struct ContactHistory: Sendable, Equatable {
    public var id: UUID
    public var stage: String
    public var label: String
    public var state: ContactState
    public var dueAt: Date
    public var sentAt: Date?
    public var deliveredAt: Date?
    public var language: String
    public var channel: String
    public var templateVersion: String
    public var segments: Int
    public var attempts: Int
    public var lastError: String?
}
