import Foundation
import ReassureCore

/// Who a message says it comes from at the provider: the SMS sender id and the email From.
public struct SenderIdentity: Codable, Sendable, Equatable {
    /// Alphanumeric (1–11 of A–Z, a–z, 0–9, space, with a letter) or an E.164 number.
    public var smsSenderID: String
    public var emailFrom: String
    /// The display name in the email From header.
    public var emailName: String

    public init(smsSenderID: String, emailFrom: String, emailName: String) {
        self.smsSenderID = smsSenderID
        self.emailFrom = emailFrom
        self.emailName = emailName
    }

    enum CodingKeys: String, CodingKey {
        case smsSenderID = "sms_sender_id", emailFrom = "email_from", emailName = "email_name"
    }

    /// The sender for `channel`, as `GatewayMessage.sender` takes it.
    public func sender(for channel: Channel) -> String {
        switch channel {
        case .sms: smsSenderID
        case .email: emailName.isEmpty ? emailFrom : "\(emailName) <\(emailFrom)>"
        }
    }
}

/// A unit's senders: the usual one, and a neutral one for victims flagged for discreet contact.
public struct UnitSenders: Codable, Sendable, Equatable {
    public var standard: SenderIdentity
    public var discreet: SenderIdentity

    public init(standard: SenderIdentity, discreet: SenderIdentity) {
        self.standard = standard
        self.discreet = discreet
    }
}

/// Gateway configuration per unit (issue #5, item 5), from the JSON file named by
/// `REASSURE_GATEWAY_SENDERS`:
///
/// ```json
/// {"default": {"standard": {"sms_sender_id": "VictimSupp", "email_from": "support@vsu.example.org", "email_name": "Victim Support"},
///              "discreet": {"sms_sender_id": "Wellbeing", "email_from": "hello@wellbeing.example.org", "email_name": "Wellbeing Team"}},
///  "units": {"pretoria-central-vsu": {...}}}
/// ```
///
/// Discreet identities are checked at start: no police, no crime type (`NeutralWording`).
public struct SenderDirectory: Codable, Sendable, Equatable {
    public var `default`: UnitSenders
    public var units: [String: UnitSenders]

    public static let builtIn = SenderDirectory(
        default: UnitSenders(
            standard: SenderIdentity(smsSenderID: "VictimSupp", emailFrom: "support@reassure.invalid", emailName: "Victim Support"),
            discreet: SenderIdentity(smsSenderID: "Wellbeing", emailFrom: "hello@reassure.invalid", emailName: "Wellbeing Team")),
        units: [:])

    public init(default: UnitSenders, units: [String: UnitSenders] = [:]) {
        self.default = `default`
        self.units = units
    }

    /// The identity for a unit's message; units without their own use the default.
    public func identity(unit: String, discreet: Bool) -> SenderIdentity {
        let senders = units[unit] ?? self.default
        return discreet ? senders.discreet : senders.standard
    }

    /// Every problem in the directory, each naming where it is; empty when usable.
    public func problems() -> [String] {
        var found: [String] = []
        for (name, senders) in [("default", self.default)] + units.sorted(by: { $0.key < $1.key }).map({ ("units.\($0.key)", $0.value) }) {
            for (kind, identity) in [("standard", senders.standard), ("discreet", senders.discreet)] {
                let path = "\(name).\(kind)"
                if !Self.isValidSenderID(identity.smsSenderID) {
                    found.append("\(path).sms_sender_id must be 1–11 letters, digits or spaces (with a letter) or an E.164 number")
                }
                let at = identity.emailFrom.split(separator: "@", omittingEmptySubsequences: false)
                if at.count != 2 || at[0].isEmpty || !at[1].contains(".") {
                    found.append("\(path).email_from must be an email address")
                }
                if kind == "discreet" {
                    for (field, text) in [("sms_sender_id", identity.smsSenderID), ("email_from", identity.emailFrom), ("email_name", identity.emailName)] {
                        let terms = NeutralWording.problems(in: text)
                        if !terms.isEmpty {
                            found.append("\(path).\(field) must be neutral for discreet contact; it says: \(terms.joined(separator: ", "))")
                        }
                    }
                }
            }
        }
        return found
    }

    static func isValidSenderID(_ id: String) -> Bool {
        if id.hasPrefix("+") {
            let digits = id.dropFirst()
            return (8...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
        }
        return (1...11).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " ") }
            && id.contains { $0.isLetter }
    }

    /// Reads `REASSURE_GATEWAY_SENDERS` (a JSON file); without it, `builtIn`. Throws
    /// `ConfigurationError` listing every problem.
    public static func fromEnvironment(_ environment: [String: String]) throws -> SenderDirectory {
        guard let path = environment["REASSURE_GATEWAY_SENDERS"], !path.isEmpty else { return builtIn }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("REASSURE_GATEWAY_SENDERS names \(path), which cannot be read")
        }
        let directory: SenderDirectory
        do {
            directory = try JSONDecoder().decode(SenderDirectory.self, from: data)
        } catch {
            throw ConfigurationError("REASSURE_GATEWAY_SENDERS (\(path)) is not a sender directory: \(error)")
        }
        let problems = directory.problems()
        guard problems.isEmpty else {
            throw ConfigurationError("REASSURE_GATEWAY_SENDERS (\(path)): " + problems.joined(separator: "; "))
        }
        return directory
    }

    enum CodingKeys: String, CodingKey { case `default`, units }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.default = try container.decode(UnitSenders.self, forKey: .default)
        self.units = try container.decodeIfPresent([String: UnitSenders].self, forKey: .units) ?? [:]
    }
}
