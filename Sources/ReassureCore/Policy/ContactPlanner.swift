import Foundation

/// Turns a case event into the contacts a victim will get, or into tasks for people when an
/// automated message must not go: unsafe to contact, no consent, a restricted category, no
/// language in the catalog, no way to reach them.
public struct ContactPlanner: Sendable {
    public let policy: ContactPolicy
    public let catalog: TemplateCatalog

    public init(policy: ContactPolicy, catalog: TemplateCatalog) {
        self.policy = policy
        self.catalog = catalog
    }

    /// The whole plan for a reported case, counted from the report (`event.occurredAt`); nothing
    /// is due before `now`.
    public func plan(for event: CaseEvent, now: Date) -> ContactPlan {
        let steps = policy.schedule(unit: event.caseInfo.unit, category: event.caseInfo.category, priority: event.caseInfo.priority)
        var nominal: [(ScheduleStep, Date)] = []
        guard let zone = event.victim?.timezone.flatMap(TimeZone.init(identifier:)) else {
            return ContactPlan(tasks: [PersonTask(kind: .noSendingHours, reason: "the victim's time zone is unknown")])
        }
        let holidays = policy.hours(unit: event.caseInfo.unit).holidays
        for step in steps {
            nominal.append((step, Self.instant(event.occurredAt, plus: step.offset, in: zone, holidays: holidays)))
        }
        // Then monthly until the case closes, bounded by the unit's maximum.
        let monthly = policy.monthlyContacts(unit: event.caseInfo.unit)
        if let last = nominal.last?.1, monthly > 0 {
            for month in 1...monthly {
                nominal.append((ScheduleStep(.checkIn, .months(month)),
                                Self.instant(last, plus: .months(month), in: zone, holidays: holidays)))
            }
        }
        return contacts(for: event, at: nominal.map { ($0.0.stage, $0.0.offset.label, $0.1) }, now: now, respectHours: true)
    }

    /// One message outside the schedule (update, closing, opt-out confirmation, help reply),
    /// due now — within sending hours unless `respectHours` is false (a reply to the victim).
    public func single(_ stage: ContactStage, for event: CaseEvent, now: Date, respectHours: Bool = true) -> ContactPlan {
        contacts(for: event, at: [(stage, stage.rawValue.replacingOccurrences(of: "_", with: " "), now)], now: now,
                 respectHours: respectHours)
    }

    /// The message context (sender, numbers) for the event's unit; for a victim flagged for
    /// discreet contact, the neutral sender and no case reference.
    public func context(for event: CaseEvent) -> MessageContext? {
        let unit = policy.units[event.caseInfo.unit]
        guard let callback = event.officer?.phone ?? unit?.callbackNumber ?? policy.defaultCallbackNumber else { return nil }
        let discreet = event.victim?.isDiscreet == true
        let sender = discreet ? unit?.discreetSender ?? policy.defaultDiscreetSender : unit?.sender ?? policy.defaultSender
        return MessageContext(
            sender: sender, caseReference: discreet ? "" : event.caseInfo.reference, callbackNumber: callback,
            supportLine: unit?.supportLine ?? policy.defaultSupportLine ?? callback,
            emergencyNumber: unit?.emergencyNumber ?? policy.defaultEmergencyNumber, givenName: event.victim?.givenName)
    }

    private func contacts(for event: CaseEvent, at moments: [(ContactStage, String, Date)], now: Date, respectHours: Bool) -> ContactPlan {
        let blockers = ContactEligibility(policy: policy, catalog: catalog).tasks(for: event)
        guard blockers.tasks.isEmpty, let route = blockers.route else { return ContactPlan(tasks: blockers.tasks) }
        guard let context = context(for: event) else {
            return ContactPlan(tasks: [PersonTask(kind: .personalContactRequired, reason: "no call-back number is configured for the unit")])
        }
        var contacts: [PlannedContact] = []
        // A plan repeats stages (check-in after check-in): their texts, and so their parts, are the same.
        var segmentsByStage: [ContactStage: Int] = [:]
        for (stage, label, nominal) in moments {
            let earliest = max(nominal, now)
            let due = respectHours ? route.hours.nextOpening(atOrAfter: earliest, in: route.timeZone) : earliest
            guard let due else {
                return ContactPlan(tasks: [PersonTask(kind: .noSendingHours, reason: "the victim's windows never meet the unit's sending hours")])
            }
            let segments = segmentsByStage[stage] ?? (try? TemplateRenderer.render(
                catalog, language: route.language, stage: stage, channel: route.channel, context: context,
                discreet: event.victim?.isDiscreet == true).segments) ?? 0
            segmentsByStage[stage] = segments
            contacts.append(PlannedContact(
                stage: stage, label: label, dueAt: due, nominalAt: nominal, language: route.language, channel: route.channel,
                templateVersion: catalog.languages[route.language]?.version ?? "", segments: segments))
        }
        return ContactPlan(contacts: contacts)
    }

    /// `start` moved by `offset` in the victim's calendar (days keep the local time of day).
    static func instant(_ start: Date, plus offset: ScheduleOffset, in zone: TimeZone, holidays: Set<String>) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        switch offset {
        case .hours(let hours): return start.addingTimeInterval(TimeInterval(hours * 3600))
        case .days(let days): return calendar.date(byAdding: .day, value: days, to: start) ?? start
        case .months(let months): return calendar.date(byAdding: .month, value: months, to: start) ?? start
        case .workingDays(let days): return WorkingDays.adding(days, to: start, in: zone, holidays: holidays)
        }
    }
}
