import Foundation
import Yams

/// Reads policy overrides from the YAML file named by `REASSURE_CONFIG` (section `policy`).
///
/// ```yaml
/// policy:
///   max_monthly_contacts: 6
///   unit_language: en
///   sender: Victim Support
///   sender_discreet: Wellbeing Team    # neutral: for victims flagged discreet_contact
///   callback_number: "+27123456789"   # when the event names no officer phone
///   support_line: "+27800123456"
///   emergency_number: "10111"
///   sending_hours: [{days: mon-fri, from: "09:00", to: "19:00"}, {days: sat, from: "09:00", to: "13:00"}]
///   restricted_categories: [sexual_offence, homicide, domestic_abuse]
///   schedules:
///     standard: [acknowledgement@0h, check_in@3wd, check_in@14d, check_in@28d]
///   units:
///     pretoria-central-vsu:
///       holidays: ["2026-12-16", "2026-12-25"]
///       allow_categories: [domestic_abuse]
///       categories:
///         business_robbery: {priority: enhanced}
/// ```
public enum ContactPolicyLoader {
    public static func load(environment: [String: String]) throws -> ContactPolicy {
        guard let path = environment["REASSURE_CONFIG"], !path.isEmpty else { return ContactPolicy() }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError("REASSURE_CONFIG names \(path), which cannot be read")
        }
        return try parse(yaml: text, source: path)
    }

    public static func parse(yaml text: String, source: String = "REASSURE_CONFIG") throws -> ContactPolicy {
        let document: Any?
        do {
            // Dates stay text: YAML's timestamp rule would quietly turn 2026-13-45 into February.
            document = try Yams.load(yaml: text, .default.removing(.timestamp))
        } catch {
            throw ConfigurationError("\(source) is not valid YAML: \(error)")
        }
        var policy = ContactPolicy()
        guard let root = document as? [String: Any], let section = root["policy"] else { return policy }
        guard let settings = section as? [String: Any] else { throw ConfigurationError("\(source): policy must be a mapping") }
        if let value = settings["max_monthly_contacts"] { policy.maxMonthlyContacts = try count(value, "policy.max_monthly_contacts", source) }
        if let value = settings["unit_language"] as? String { policy.unitLanguage = value }
        if let value = settings["sender"] as? String { policy.defaultSender = value }
        if let value = settings["sender_discreet"] { policy.defaultDiscreetSender = try neutral(value, "policy.sender_discreet", source) }
        if let value = settings["callback_number"] { policy.defaultCallbackNumber = "\(value)" }
        if let value = settings["support_line"] { policy.defaultSupportLine = "\(value)" }
        if let value = settings["emergency_number"] { policy.defaultEmergencyNumber = "\(value)" }
        if let value = settings["sending_hours"] { policy.sendingHours = try hours(value, "policy.sending_hours", source) }
        if let value = settings["restricted_categories"] {
            policy.restrictedCategories = Set(try strings(value, "policy.restricted_categories", source).map { $0.lowercased() })
        }
        if let value = settings["schedules"] as? [String: Any] {
            for (name, steps) in value {
                guard let priority = CaseInfo.Priority(rawValue: name) else {
                    throw ConfigurationError("\(source): policy.schedules.\(name) is not a priority (standard, enhanced)")
                }
                policy.schedules[priority] = try schedule(steps, "policy.schedules.\(name)", source)
            }
        }
        if let value = settings["units"] as? [String: Any] {
            for (unit, rules) in value {
                policy.units[unit] = try unitRules(rules, "policy.units.\(unit)", source)
            }
        }
        return policy
    }

    /// A sender name fit for discreet contact: text that names neither the police nor a crime.
    private static func neutral(_ value: Any, _ path: String, _ source: String) throws -> String {
        guard let text = value as? String, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigurationError("\(source): \(path) must be a non-empty name")
        }
        let terms = NeutralWording.problems(in: text)
        guard terms.isEmpty else {
            throw ConfigurationError("\(source): \(path) must be neutral for discreet contact; it says: \(terms.joined(separator: ", "))")
        }
        return text
    }

    private static func unitRules(_ value: Any, _ path: String, _ source: String) throws -> ContactPolicy.UnitRules {
        guard let settings = value as? [String: Any] else { throw ConfigurationError("\(source): \(path) must be a mapping") }
        var rules = ContactPolicy.UnitRules()
        if let holidays = settings["holidays"] {
            let dates = try strings(holidays, "\(path).holidays", source)
            for date in dates where !date.isValidLocalDate {
                throw ConfigurationError("\(source): \(path).holidays has '\(date)', not a date like 2026-12-25")
            }
            rules.holidays = Set(dates)
        }
        if let hours = settings["sending_hours"] { rules.sendingHours = try self.hours(hours, "\(path).sending_hours", source) }
        if let allowed = settings["allow_categories"] {
            rules.allowedCategories = Set(try strings(allowed, "\(path).allow_categories", source).map { $0.lowercased() })
        }
        if let monthly = settings["max_monthly_contacts"] { rules.maxMonthlyContacts = try count(monthly, "\(path).max_monthly_contacts", source) }
        if let language = settings["language"] as? String { rules.language = language }
        if let value = settings["sender"] as? String { rules.sender = value }
        if let value = settings["sender_discreet"] { rules.discreetSender = try neutral(value, "\(path).sender_discreet", source) }
        if let value = settings["callback_number"] { rules.callbackNumber = "\(value)" }
        if let value = settings["support_line"] { rules.supportLine = "\(value)" }
        if let value = settings["emergency_number"] { rules.emergencyNumber = "\(value)" }
        if let categories = settings["categories"] as? [String: Any] {
            for (category, value) in categories {
                guard let entry = value as? [String: Any] else {
                    throw ConfigurationError("\(source): \(path).categories.\(category) must be a mapping")
                }
                var categoryRules = ContactPolicy.CategoryRules()
                if let steps = entry["schedule"] { categoryRules.schedule = try schedule(steps, "\(path).categories.\(category).schedule", source) }
                if let priority = entry["priority"] {
                    guard let text = priority as? String, let parsed = CaseInfo.Priority(rawValue: text) else {
                        throw ConfigurationError("\(source): \(path).categories.\(category).priority must be standard or enhanced")
                    }
                    categoryRules.priority = parsed
                }
                rules.categories[category] = categoryRules
            }
        }
        return rules
    }

    private static func schedule(_ value: Any, _ path: String, _ source: String) throws -> [ScheduleStep] {
        let texts = try strings(value, path, source)
        return try texts.map { text in
            guard let step = ScheduleStep(text) else {
                throw ConfigurationError("\(source): \(path) has '\(text)'; write stage@offset, e.g. check_in@14d or acknowledgement@0h (offsets: h, d, wd, m)")
            }
            return step
        }
    }

    private static func hours(_ value: Any, _ path: String, _ source: String) throws -> SendingHours {
        guard let list = value as? [[String: Any]] else { throw ConfigurationError("\(source): \(path) must be a list of {days, from, to}") }
        let windows = list.map { ContactWindow(days: "\($0["days"] ?? "")", from: "\($0["from"] ?? "")", to: "\($0["to"] ?? "")") }
        guard let hours = SendingHours(windows: windows) else {
            throw ConfigurationError("\(source): \(path) has a window that is not {days: mon-fri, from: \"09:00\", to: \"19:00\"}")
        }
        return hours
    }

    private static func strings(_ value: Any, _ path: String, _ source: String) throws -> [String] {
        guard let list = value as? [Any] else { throw ConfigurationError("\(source): \(path) must be a list") }
        return list.map { "\($0)" }
    }

    private static func count(_ value: Any, _ path: String, _ source: String) throws -> Int {
        guard let number = value as? Int, (0...120).contains(number) else {
            throw ConfigurationError("\(source): \(path) must be a whole number from 0 to 120")
        }
        return number
    }
}

extension String {
    /// `yyyy-MM-dd` naming a real calendar day.
    var isValidLocalDate: Bool {
        let formatter = SendingHours.dayFormatter(TimeZone(identifier: "UTC")!)
        return formatter.date(from: self).map { formatter.string(from: $0) == self } ?? false
    }
}
