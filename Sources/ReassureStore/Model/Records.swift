import Foundation
import ReassureCore

/// A case as the store keeps it. Cases are keyed by unit and police reference.
public struct NewCase: Sendable, Equatable {
    public var reference: String
    public var unit: String
    public var category: String?
    public var priority: String
    public var openedAt: Date
    /// The officer's work number (not victim data; quoted in messages).
    public var officerPhone: String?

    public init(reference: String, unit: String, category: String?, priority: String, openedAt: Date, officerPhone: String? = nil) {
        self.officerPhone = officerPhone
        self.reference = reference
        self.unit = unit
        self.category = category
        self.priority = priority
        self.openedAt = openedAt
    }
}

/// A victim as the store receives it; name, phone and email are encrypted before they are written.
public struct NewVictim: Sendable, Equatable {
    public var ref: String
    public var givenName: String?
    public var phone: String?
    public var email: String?
    /// Ordered BCP 47 tags.
    public var languages: [String]
    public var timezone: String
    /// The victim's windows as JSON text (the store does not interpret them).
    public var windowsJSON: String
    public var preferredChannel: String?
    public var safeToContact: String
    public var consentStatus: String
    /// Messages must come from a neutral sender in neutral words (the event's `discreet_contact`).
    public var discreetContact: Bool

    public init(ref: String, givenName: String?, phone: String?, email: String?, languages: [String], timezone: String,
                windowsJSON: String = "[]", preferredChannel: String?, safeToContact: String, consentStatus: String,
                discreetContact: Bool = false) {
        self.ref = ref
        self.givenName = givenName
        self.phone = phone
        self.email = email
        self.languages = languages
        self.timezone = timezone
        self.windowsJSON = windowsJSON
        self.preferredChannel = preferredChannel
        self.safeToContact = safeToContact
        self.consentStatus = consentStatus
        self.discreetContact = discreetContact
    }
}

/// A planned contact, with language and template version pinned.
public struct NewContact: Sendable, Equatable {
    public var id: UUID
    public var stage: String
    public var label: String
    public var dueAt: Date
    public var language: String
    public var channel: String
    public var templateVersion: String
    public var segments: Int

    public init(id: UUID = .timeOrdered(), stage: String, label: String, dueAt: Date, language: String, channel: String,
                templateVersion: String, segments: Int) {
        self.id = id
        self.stage = stage
        self.label = label
        self.dueAt = dueAt
        self.language = language
        self.channel = channel
        self.templateVersion = templateVersion
        self.segments = segments
    }
}

/// Work for a person: callback, interpreter, unsafe contact, unread reply, …
public struct NewTask: Sendable, Equatable {
    public var kind: String
    public var reason: String
    public var language: String?

    public init(kind: String, reason: String, language: String? = nil) {
        self.kind = kind
        self.reason = reason
        self.language = language
    }
}

public struct ContactRecord: Sendable, Equatable {
    public var id: UUID
    public var caseID: UUID
    public var victimID: UUID
    public var unit: String
    public var stage: String
    public var state: ContactState
    public var dueAt: Date
    public var language: String
    public var channel: String
    public var templateVersion: String
    public var segments: Int
    public var attempts: Int
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
}

/// One try at sending: its idempotency key (contact id + attempt number) is what the gateway
/// deduplicates on, so a re-send after a crash is the same message.
public struct Attempt: Sendable, Equatable {
    public var contactID: UUID
    public var number: Int
    public var idempotencyKey: String
    public var channel: String

    /// The attempt `number` of a contact, keyed as the gateway sees it: `<CONTACT-UUID>:<number>`.
    init(contactID: UUID, number: Int, channel: String) {
        self.init(contactID: contactID, number: number, idempotencyKey: "\(UUIDText.string(contactID)):\(number)", channel: channel)
    }

    init(contactID: UUID, number: Int, idempotencyKey: String, channel: String) {
        self.contactID = contactID
        self.number = number
        self.idempotencyKey = idempotencyKey
        self.channel = channel
    }
}

/// What a gateway said about an attempt.
public struct AttemptOutcome: Sendable, Equatable {
    public enum Status: String, Sendable { case sent, delivered, failed }
    public var idempotencyKey: String
    public var status: Status
    public var providerMessageID: String?
    public var error: String?
    public var at: Date

    public init(idempotencyKey: String, status: Status, providerMessageID: String? = nil, error: String? = nil, at: Date) {
        self.idempotencyKey = idempotencyKey
        self.status = status
        self.providerMessageID = providerMessageID
        self.error = error
        self.at = at
    }
}

/// A victim read back (decrypted). Reading one through `Store.victim(id:actor:reason:)` is audited.
public struct VictimRecord: Sendable, Equatable {
    public var id: UUID
    public var caseID: UUID
    public var ref: String
    public var givenName: String?
    public var phone: String?
    public var email: String?
    public var languages: [String]
    public var timezone: String
    public var optedOut: Bool
}

public struct TaskRecord: Sendable, Equatable {
    public var id: UUID
    public var caseID: UUID
    public var kind: String
    public var reason: String
    public var language: String?
    public var createdAt: Date
}

public struct AuditEntry: Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var action: String
    public var subject: String
    public var reason: String
}

public struct OutboxEntry: Sendable, Equatable {
    public var sequence: Int64
    public var eventID: String
    public var routingKey: String
    public var payload: [UInt8]
    public var createdAt: Date
}

extension UUID {
    /// A random UUID whose first 48 bits are the current time in milliseconds (the layout of
    /// UUIDv7): rows inserted together land together in the primary-key index instead of all over it.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        var random = generator.next() as UInt64
        var more = generator.next() as UInt64
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        for index in 6..<16 {
            bytes[index] = UInt8(truncatingIfNeeded: index < 11 ? random : more)
            if index < 11 { random >>= 8 } else { more >>= 8 }
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70  // version 7
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                           bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
