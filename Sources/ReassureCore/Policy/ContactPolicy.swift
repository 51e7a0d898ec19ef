import Foundation

/// The rules a unit contacts victims by (DESIGN.md "Contact policy"), with per-unit and
/// per-category overrides from `REASSURE_CONFIG`.
public struct ContactPolicy: Sendable, Equatable {
    /// Standard: acknowledgement on report, check-in within 5 working days, day 14, day 28, then monthly.
    public static let standardSchedule: [ScheduleStep] = [
        ScheduleStep(.acknowledgement, .hours(0)), ScheduleStep(.checkIn, .workingDays(3)),
        ScheduleStep(.checkIn, .days(14)), ScheduleStep(.checkIn, .days(28)),
    ]
    /// Enhanced (hate crime, domestic abuse, repeat or vulnerable victims): acknowledgement within
    /// hours, check-in next working day, day 7, day 14, day 28, then monthly.
    public static let enhancedSchedule: [ScheduleStep] = [
        ScheduleStep(.acknowledgement, .hours(0)), ScheduleStep(.checkIn, .workingDays(1)),
        ScheduleStep(.checkIn, .days(7)), ScheduleStep(.checkIn, .days(14)), ScheduleStep(.checkIn, .days(28)),
    ]
    /// Categories where, unless a unit opts in, a person makes contact instead of a machine.
    public static let defaultRestrictedCategories: Set<String> = ["sexual_offence", "sexual_offences", "homicide", "domestic_abuse"]

    /// A unit's own settings; anything unset falls back to the policy-wide value.
    public struct UnitRules: Sendable, Equatable {
        public var holidays: Set<String> = []
        public var sendingHours: SendingHours?
        /// Restricted categories this unit allows automated messages for.
        public var allowedCategories: Set<String> = []
        public var maxMonthlyContacts: Int?
        /// The language the unit's staff speak (an interpreter is needed otherwise).
        public var language: String?
        public var categories: [String: CategoryRules] = [:]
        /// Who the messages say they are from.
        public var sender: String?
        /// Who they say they are from for victims flagged for discreet contact (`sender_discreet`).
        public var discreetSender: String?
        public var callbackNumber: String?
        public var supportLine: String?
        public var emergencyNumber: String?
        public init() {}
    }

    public struct CategoryRules: Sendable, Equatable {
        public var schedule: [ScheduleStep]?
        public var priority: CaseInfo.Priority?
        public init(schedule: [ScheduleStep]? = nil, priority: CaseInfo.Priority? = nil) {
            self.schedule = schedule
            self.priority = priority
        }
    }

    public var schedules: [CaseInfo.Priority: [ScheduleStep]]
    public var sendingHours: SendingHours
    public var restrictedCategories: Set<String>
    /// Monthly contacts after the last scheduled step, until the case closes.
    public var maxMonthlyContacts: Int
    public var unitLanguage: String
    public var units: [String: UnitRules]
    public var defaultSender = "Victim Support"
    /// A neutral name (no police, no crime) for victims flagged for discreet contact.
    public var defaultDiscreetSender = "Wellbeing Team"
    /// Used when neither the event's officer nor the unit gives a number to call.
    public var defaultCallbackNumber: String?
    public var defaultSupportLine: String?
    public var defaultEmergencyNumber = "112"

    public init(
        schedules: [CaseInfo.Priority: [ScheduleStep]] = [.standard: standardSchedule, .enhanced: enhancedSchedule],
        sendingHours: SendingHours = .defaultHours, restrictedCategories: Set<String> = defaultRestrictedCategories,
        maxMonthlyContacts: Int = 6, unitLanguage: String = "en", units: [String: UnitRules] = [:]
    ) {
        self.schedules = schedules
        self.sendingHours = sendingHours
        self.restrictedCategories = restrictedCategories
        self.maxMonthlyContacts = maxMonthlyContacts
        self.unitLanguage = unitLanguage
        self.units = units
    }

    /// The schedule for a case: category override, then the priority's schedule.
    public func schedule(unit: String, category: String?, priority: CaseInfo.Priority?) -> [ScheduleStep] {
        let rules = category.flatMap { units[unit]?.categories[$0] }
        if let schedule = rules?.schedule { return schedule }
        let effective = rules?.priority ?? priority ?? .standard
        return schedules[effective] ?? Self.standardSchedule
    }

    /// The unit's hours (holidays included), before the victim's windows narrow them.
    public func hours(unit: String) -> SendingHours {
        var hours = units[unit]?.sendingHours ?? sendingHours
        hours.holidays.formUnion(units[unit]?.holidays ?? [])
        return hours
    }

    /// False for restricted categories the unit has not opted into.
    public func allowsAutomatedContact(unit: String, category: String?) -> Bool {
        guard let category = category?.lowercased(), restrictedCategories.contains(category) else { return true }
        return units[unit]?.allowedCategories.contains(category) ?? false
    }

    public func monthlyContacts(unit: String) -> Int {
        units[unit]?.maxMonthlyContacts ?? maxMonthlyContacts
    }

    public func language(unit: String) -> String {
        units[unit]?.language ?? unitLanguage
    }
}
