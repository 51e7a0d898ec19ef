import Foundation

/// Case event, version 1: what a records system tells Reassure (DESIGN.md "Case event").
/// Build one with `CaseEventIntake`, which scrubs and validates first.
public struct CaseEvent: Sendable, Equatable, Codable {
    public enum EventType: String, Sendable, Codable, CaseIterable {
        case caseReported = "case.reported"
        case caseUpdated = "case.updated"
        case caseClosed = "case.closed"
        case victimUpdated = "victim.updated"
        case victimOptedOut = "victim.opted_out"
        case victimOptedIn = "victim.opted_in"
    }

    /// Idempotency key: the same id twice is one event.
    public var id: String
    public var type: EventType
    public var occurredAt: Date
    public var caseInfo: CaseInfo
    public var victim: Victim?
    public var officer: Officer?
    /// `case.updated`: what happened (arrest, charge, bail, court_date, other).
    public var update: Update?
    /// `case.closed`: why.
    public var outcome: Outcome?

    enum CodingKeys: String, CodingKey {
        case id, type, victim, officer, update, outcome
        case occurredAt = "occurred_at"
        case caseInfo = "case"
    }

    public init(id: String, type: EventType, occurredAt: Date, caseInfo: CaseInfo, victim: Victim? = nil,
                officer: Officer? = nil, update: Update? = nil, outcome: Outcome? = nil) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.caseInfo = caseInfo
        self.victim = victim
        self.officer = officer
        self.update = update
        self.outcome = outcome
    }
}

public struct CaseInfo: Sendable, Equatable, Codable {
    public enum Priority: String, Sendable, Codable, CaseIterable {
        case standard, enhanced
    }

    /// The police case reference, quoted in every message.
    public var reference: String
    /// The victim-support unit that owns the case (policy, holidays, sender).
    public var unit: String
    /// Offence category; decides eligibility. Never appears in a message.
    public var category: String?
    public var priority: Priority?

    public init(reference: String, unit: String, category: String? = nil, priority: Priority? = nil) {
        self.reference = reference
        self.unit = unit
        self.category = category
        self.priority = priority
    }
}

public struct Victim: Sendable, Equatable, Codable {
    public enum SafeToContact: String, Sendable, Codable, CaseIterable {
        case yes, no, unknown
    }

    /// Pseudonymous reference from the records system.
    public var ref: String
    public var givenName: String?
    /// Ordered BCP 47 tags, most preferred first.
    public var languages: [String]?
    public var timezone: String?
    public var contact: ContactDetails?
    public var preferredChannel: Channel?
    public var safeToContact: SafeToContact?
    public var consent: Consent?
    public var windows: [ContactWindow]?
    /// The victim may share a phone or inbox with someone who must not learn that the police are
    /// involved: messages then come from a neutral sender, in neutral wording, without the case
    /// reference. Absent means false.
    public var discreetContact: Bool?

    /// Whether messages to this victim must be discreet.
    public var isDiscreet: Bool { discreetContact == true }

    enum CodingKeys: String, CodingKey {
        case ref, languages, timezone, contact, consent, windows
        case discreetContact = "discreet_contact"
        case givenName = "given_name"
        case preferredChannel = "preferred_channel"
        case safeToContact = "safe_to_contact"
    }

    public init(ref: String, givenName: String? = nil, languages: [String]? = nil, timezone: String? = nil,
                contact: ContactDetails? = nil, preferredChannel: Channel? = nil, safeToContact: SafeToContact? = nil,
                consent: Consent? = nil, windows: [ContactWindow]? = nil, discreetContact: Bool? = nil) {
        self.ref = ref
        self.givenName = givenName
        self.languages = languages
        self.timezone = timezone
        self.contact = contact
        self.preferredChannel = preferredChannel
        self.safeToContact = safeToContact
        self.consent = consent
        self.windows = windows
        self.discreetContact = discreetContact
    }
}

public enum Channel: String, Sendable, Codable, CaseIterable, Hashable {
    case sms, email
}

public struct ContactDetails: Sendable, Equatable, Codable {
    public var sms: String?
    public var email: String?

    public init(sms: String? = nil, email: String? = nil) {
        self.sms = sms
        self.email = email
    }

    public func address(for channel: Channel) -> String? {
        switch channel {
        case .sms: sms
        case .email: email
        }
    }
}

public struct Consent: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case given, refused, withdrawn, unknown
    }

    public var status: Status
    public var at: Date?
    public var method: String?
    public var language: String?
}

/// When the victim is happy to be contacted, in their own time zone: `days` like `mon-fri`,
/// `sat`, `mon,wed,fri`; `from`/`to` as `HH:MM`.
public struct ContactWindow: Sendable, Equatable, Codable {
    public var days: String
    public var from: String
    public var to: String

    public init(days: String, from: String, to: String) {
        self.days = days
        self.from = from
        self.to = to
    }
}

public struct Officer: Sendable, Equatable, Codable {
    public var name: String?
    public var phone: String?
}

public struct Update: Sendable, Equatable, Codable {
    public var kind: String
}

public struct Outcome: Sendable, Equatable, Codable {
    public var code: String
}
