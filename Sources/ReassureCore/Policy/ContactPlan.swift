import Foundation

/// One message Reassure promises to send, with everything pinned at planning time (language,
/// template version) so a later catalog edit never changes what was planned.
public struct PlannedContact: Sendable, Equatable, Codable {
    public var stage: ContactStage
    /// Where it sits in the schedule, for people: "day 14", "next working day".
    public var label: String
    /// When it goes out: the schedule's time moved to the next sending opening.
    public var dueAt: Date
    /// When the schedule alone would have it.
    public var nominalAt: Date
    public var language: String
    public var channel: Channel
    public var templateVersion: String
    public var segments: Int
}

/// Something a person must do because a machine must not (or cannot) make contact.
public struct PersonTask: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case unsafeContact = "unsafe_contact"
        case interpreterNeeded = "interpreter_needed"
        case personalContactRequired = "personal_contact_required"
        case noContactRoute = "no_contact_route"
        case consentNeeded = "consent_needed"
        case noSendingHours = "no_sending_hours"
        case callback
        case unreadReply = "unread_reply"
    }

    public var kind: Kind
    /// Why, in words an officer reads; never personal data.
    public var reason: String
    /// The victim's language, for the interpreter.
    public var language: String?

    public init(kind: Kind, reason: String, language: String? = nil) {
        self.kind = kind
        self.reason = reason
        self.language = language
    }
}

public struct ContactPlan: Sendable, Equatable {
    public var contacts: [PlannedContact]
    public var tasks: [PersonTask]

    public init(contacts: [PlannedContact] = [], tasks: [PersonTask] = []) {
        self.contacts = contacts
        self.tasks = tasks
    }
}
