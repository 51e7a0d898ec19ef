import Foundation

/// Whether a machine may contact this victim at all, and if so how: language, channel, hours.
/// Safe by default — anything doubtful becomes a task for a person.
struct ContactEligibility {
    struct Route {
        var language: String
        var channel: Channel
        var timeZone: TimeZone
        var hours: SendingHours
    }

    let policy: ContactPolicy
    let catalog: TemplateCatalog

    func tasks(for event: CaseEvent) -> (tasks: [PersonTask], route: Route?) {
        var tasks: [PersonTask] = []
        guard let victim = event.victim else {
            return ([PersonTask(kind: .noContactRoute, reason: "the event carries no victim")], nil)
        }
        let firstLanguage = victim.languages?.first
        if victim.safeToContact != .yes {
            tasks.append(PersonTask(kind: .unsafeContact,
                                    reason: "safe_to_contact is \(victim.safeToContact?.rawValue ?? "not given"): a person decides whether and how to make contact",
                                    language: firstLanguage))
        }
        if let consent = victim.consent, consent.status != .given {
            tasks.append(PersonTask(kind: .consentNeeded, reason: "consent is \(consent.status.rawValue): no automated messages", language: firstLanguage))
        } else if victim.consent == nil {
            tasks.append(PersonTask(kind: .consentNeeded, reason: "no consent recorded: ask the victim before automated messages", language: firstLanguage))
        }
        if !policy.allowsAutomatedContact(unit: event.caseInfo.unit, category: event.caseInfo.category) {
            tasks.append(PersonTask(kind: .personalContactRequired,
                                    reason: "this case category is contacted by a person unless the unit opts in", language: firstLanguage))
        }
        var language: String?
        switch LanguageResolver.resolve(victimLanguages: victim.languages ?? [], available: catalog.availableLanguages) {
        case .language(let tag) where victim.isDiscreet:
            // Only neutral wording may reach a victim flagged for discreet contact.
            if case .language(let neutral) = LanguageResolver.resolve(victimLanguages: victim.languages ?? [], available: catalog.discreetLanguages) {
                language = neutral
            } else {
                tasks.append(PersonTask(kind: .personalContactRequired,
                                        reason: "flagged for discreet contact, and no neutral wording exists in \(tag) or the victim's other languages: a person makes contact discreetly",
                                        language: tag))
            }
        case .language(let tag): language = tag
        case .needsInterpreter(let first):
            tasks.append(PersonTask(kind: .interpreterNeeded,
                                    reason: "no message catalog in any of the victim's languages: contact through an interpreter", language: first))
        }
        let channels = [victim.preferredChannel ?? .sms] + Channel.allCases.filter { $0 != (victim.preferredChannel ?? .sms) }
        let channel = channels.first { victim.contact?.address(for: $0) != nil }
        if channel == nil {
            tasks.append(PersonTask(kind: .noContactRoute, reason: "no phone number or email address to write to", language: firstLanguage))
        }
        let zone = victim.timezone.flatMap(TimeZone.init(identifier:))
        var hours = policy.hours(unit: event.caseInfo.unit)
        if let windows = victim.windows, !windows.isEmpty, let own = SendingHours(windows: windows) {
            hours = hours.intersected(with: own)
        }
        if zone == nil { tasks.append(PersonTask(kind: .noSendingHours, reason: "the victim's time zone is unknown")) }
        guard tasks.isEmpty, let language, let channel, let zone else { return (tasks, nil) }
        return ([], Route(language: language, channel: channel, timeZone: zone, hours: hours))
    }
}
