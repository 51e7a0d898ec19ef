import Foundation

/// Checks a (scrubbed) event document against the version 1 contract and reports **every**
/// problem, so an integrator fixes a batch in one round trip.
public enum CaseEventValidator {
    public static let maxIDLength = 128
    public static let maxNameLength = 100
    public static let maxLanguages = 8
    public static let maxWindows = 14
    public static let maxShortText = 64

    public static func problems(in document: JSONValue) -> [ValidationProblem] {
        var checker = Checker()
        checker.check(document)
        return checker.problems
    }

    private struct Checker {
        var problems: [ValidationProblem] = []

        mutating func add(_ path: String, _ problem: String) {
            problems.append(ValidationProblem(path: path, problem: problem))
        }

        mutating func check(_ document: JSONValue) {
            guard let event = document.object else {
                add("$", "an event must be a JSON object")
                return
            }
            _ = requiredString(event, "id", "id", max: CaseEventValidator.maxIDLength)
            let typeText = requiredString(event, "type", "type", max: 32)
            let type = typeText.flatMap(CaseEvent.EventType.init(rawValue:))
            if let typeText, type == nil {
                add("type", "unknown event type '\(typeText.prefix(32))'; expected one of \(CaseEvent.EventType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let time = requiredString(event, "occurred_at", "occurred_at", max: 40), FieldFormats.rfc3339(time) == nil {
                add("occurred_at", "must be an RFC 3339 date-time with a time zone, e.g. 2026-11-20T09:30:00Z")
            }
            checkCase(event["case"], type: type)
            checkVictim(event["victim"], type: type)
            checkOfficer(event["officer"])
            if type == .caseUpdated {
                if let update = object(event["update"], "update") {
                    _ = requiredString(update, "kind", "update.kind", max: CaseEventValidator.maxShortText)
                }
            }
            if type == .caseClosed {
                if let outcome = object(event["outcome"], "outcome") {
                    _ = requiredString(outcome, "code", "outcome.code", max: CaseEventValidator.maxShortText)
                }
            }
        }

        mutating func checkCase(_ value: JSONValue?, type: CaseEvent.EventType?) {
            if let info = object(value, "case") {
                _ = requiredString(info, "reference", "case.reference", max: CaseEventValidator.maxShortText)
                _ = requiredString(info, "unit", "case.unit", max: CaseEventValidator.maxShortText)
                let isReport = type == .caseReported
                if let category = optionalString(info, "category", "case.category", max: CaseEventValidator.maxShortText, required: isReport),
                   category.isEmpty {
                    add("case.category", "must not be empty")
                }
                if let priority = optionalString(info, "priority", "case.priority", max: 16, required: isReport),
                   CaseInfo.Priority(rawValue: priority) == nil {
                    add("case.priority", "must be one of standard, enhanced")
                }
            }
        }

        mutating func checkVictim(_ value: JSONValue?, type: CaseEvent.EventType?) {
            let needed: Set<CaseEvent.EventType> = [.caseReported, .victimUpdated, .victimOptedOut, .victimOptedIn]
            // A victim present is always checked (even when the type is wrong), so every problem shows at once.
            guard value != nil || type.map(needed.contains) == true else { return }
            if let victim = object(value, "victim") {
                _ = requiredString(victim, "ref", "victim.ref", max: CaseEventValidator.maxShortText)
                let full = type == .caseReported
                _ = optionalString(victim, "given_name", "victim.given_name", max: CaseEventValidator.maxNameLength, required: false)
                checkLanguages(victim["languages"], required: full)
                if let zone = optionalString(victim, "timezone", "victim.timezone", max: 64, required: full),
                   let problem = FieldFormats.timeZoneProblem(zone) {
                    add("victim.timezone", problem)
                }
                checkContact(victim["contact"])
                if let channel = optionalString(victim, "preferred_channel", "victim.preferred_channel", max: 8, required: false),
                   Channel(rawValue: channel) == nil {
                    add("victim.preferred_channel", "must be sms or email")
                }
                if let safe = optionalString(victim, "safe_to_contact", "victim.safe_to_contact", max: 8, required: full),
                   Victim.SafeToContact(rawValue: safe) == nil {
                    add("victim.safe_to_contact", "must be yes, no or unknown")
                }
                checkConsent(victim["consent"])
                checkWindows(victim["windows"])
                if let discreet = victim["discreet_contact"], discreet != .null, discreet.bool == nil {
                    add("victim.discreet_contact", "must be true or false, not \(discreet.typeName)")
                }
            }
        }

        mutating func checkLanguages(_ value: JSONValue?, required: Bool) {
            guard let value else {
                if required { add("victim.languages", "is required: the victim's languages, most preferred first") }
                return
            }
            guard let languages = value.array else {
                add("victim.languages", "must be an array of BCP 47 tags, not \(value.typeName)")
                return
            }
            if languages.isEmpty { add("victim.languages", "must list at least one language") }
            if languages.count > CaseEventValidator.maxLanguages {
                add("victim.languages", "lists \(languages.count) languages; at most \(CaseEventValidator.maxLanguages)")
            }
            var seen: Set<String> = []
            for (index, language) in languages.enumerated() {
                let path = "victim.languages[\(index)]"
                guard let tag = language.string else {
                    add(path, "must be a string, not \(language.typeName)")
                    continue
                }
                if let problem = LanguageTag.problem(tag) {
                    add(path, problem)
                } else if !seen.insert(tag.lowercased()).inserted {
                    add(path, "repeats an earlier language")
                }
            }
        }

        mutating func checkContact(_ value: JSONValue?) {
            guard let value else { return }
            guard let contact = value.object else {
                add("victim.contact", "must be an object with sms and/or email, not \(value.typeName)")
                return
            }
            if let sms = optionalString(contact, "sms", "victim.contact.sms", max: 16, required: false),
               let problem = FieldFormats.e164Problem(sms) {
                add("victim.contact.sms", problem)
            }
            if let email = optionalString(contact, "email", "victim.contact.email", max: 254, required: false),
               let problem = FieldFormats.emailProblem(email) {
                add("victim.contact.email", problem)
            }
        }

        mutating func checkConsent(_ value: JSONValue?) {
            guard let value else { return }
            if let consent = object(value, "victim.consent") {
                if let status = requiredString(consent, "status", "victim.consent.status", max: 16),
                   Consent.Status(rawValue: status) == nil {
                    add("victim.consent.status", "must be one of given, refused, withdrawn, unknown")
                }
                if let at = optionalString(consent, "at", "victim.consent.at", max: 40, required: false), FieldFormats.rfc3339(at) == nil {
                    add("victim.consent.at", "must be an RFC 3339 date-time with a time zone")
                }
                _ = optionalString(consent, "method", "victim.consent.method", max: 32, required: false)
                if let language = optionalString(consent, "language", "victim.consent.language", max: 64, required: false),
                   let problem = LanguageTag.problem(language) {
                    add("victim.consent.language", problem)
                }
            }
        }

        mutating func checkWindows(_ value: JSONValue?) {
            guard let value else { return }
            guard let windows = value.array else {
                add("victim.windows", "must be an array of {days, from, to}, not \(value.typeName)")
                return
            }
            if windows.count > CaseEventValidator.maxWindows {
                add("victim.windows", "lists \(windows.count) windows; at most \(CaseEventValidator.maxWindows)")
            }
            for (index, window) in windows.enumerated() {
                let path = "victim.windows[\(index)]"
                if let window = object(window, path) {
                    if let days = requiredString(window, "days", "\(path).days", max: 40), WeekdaySet(parsing: days) == nil {
                        add("\(path).days", "must name days like mon-fri, sat or mon,wed,fri")
                    }
                    let from = requiredString(window, "from", "\(path).from", max: 5).map { ($0, FieldFormats.minuteOfDay($0)) }
                    let to = requiredString(window, "to", "\(path).to", max: 5).map { ($0, FieldFormats.minuteOfDay($0)) }
                    if let from, from.1 == nil { add("\(path).from", "must be a time HH:MM between 00:00 and 24:00") }
                    if let to, to.1 == nil { add("\(path).to", "must be a time HH:MM between 00:00 and 24:00") }
                    if let start = from?.1, let end = to?.1, start >= end {
                        add(path, "from must be earlier than to")
                    }
                }
            }
        }

        mutating func checkOfficer(_ value: JSONValue?) {
            guard let value else { return }
            if let officer = object(value, "officer") {
                _ = optionalString(officer, "name", "officer.name", max: CaseEventValidator.maxNameLength, required: false)
                if let phone = optionalString(officer, "phone", "officer.phone", max: 16, required: false),
                   let problem = FieldFormats.e164Problem(phone) {
                    add("officer.phone", problem)
                }
            }
        }

        /// The object at `path`, or `nil` after recording why it is missing or not an object.
        mutating func object(_ value: JSONValue?, _ path: String) -> JSONObject? {
            guard let value else {
                add(path, "is required")
                return nil
            }
            guard let object = value.object else {
                add(path, "must be an object, not \(value.typeName)")
                return nil
            }
            return object
        }

        mutating func requiredString(_ object: JSONObject, _ key: String, _ path: String, max: Int) -> String? {
            optionalString(object, key, path, max: max, required: true)
        }

        mutating func optionalString(_ object: JSONObject, _ key: String, _ path: String, max: Int, required: Bool) -> String? {
            guard let value = object[key], value != .null else {
                if required { add(path, "is required") }
                return nil
            }
            guard let string = value.string else {
                add(path, "must be a string, not \(value.typeName)")
                return nil
            }
            // A printable ASCII first byte is a Character that is not whitespace.
            if required && !(string.utf8.first.map { $0 > 0x20 && $0 < 0x7F } ?? false) && string.allSatisfy(\.isWhitespace) {
                add(path, "must not be empty")
                return nil
            }
            // Characters never outnumber UTF-8 bytes: count them only when the bytes could be too many.
            if string.utf8.count > max, string.count > max {
                add(path, "is \(string.count) characters long; at most \(max)")
                return nil
            }
            return string
        }
    }
}
