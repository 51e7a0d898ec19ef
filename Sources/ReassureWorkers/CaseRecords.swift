import Foundation
import ReassureCore
import ReassureStore

/// Conversions between the domain's events and plans and the store's records.
enum CaseRecords {
    static func newCase(_ event: CaseEvent) -> NewCase {
        NewCase(reference: event.caseInfo.reference, unit: event.caseInfo.unit, category: event.caseInfo.category,
                priority: (event.caseInfo.priority ?? .standard).rawValue, openedAt: event.occurredAt, officerPhone: event.officer?.phone)
    }

    static func newVictim(_ victim: Victim) -> NewVictim {
        let windows = (try? JSONEncoder().encode(victim.windows ?? [])).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return NewVictim(ref: victim.ref, givenName: victim.givenName, phone: victim.contact?.sms, email: victim.contact?.email,
                         languages: victim.languages ?? [], timezone: victim.timezone ?? "", windowsJSON: windows,
                         preferredChannel: victim.preferredChannel?.rawValue, safeToContact: (victim.safeToContact ?? .unknown).rawValue,
                         consentStatus: victim.consent?.status.rawValue ?? "unknown", discreetContact: victim.isDiscreet)
    }

    static func newContacts(_ plan: ContactPlan) -> [NewContact] {
        plan.contacts.map {
            NewContact(stage: $0.stage.rawValue, label: $0.label, dueAt: $0.dueAt, language: $0.language, channel: $0.channel.rawValue,
                       templateVersion: $0.templateVersion, segments: $0.segments)
        }
    }

    static func newTasks(_ tasks: [PersonTask]) -> [NewTask] {
        tasks.map { NewTask(kind: $0.kind.rawValue, reason: $0.reason, language: $0.language) }
    }

    /// The event the planner would have seen, rebuilt from what the store holds, so later
    /// messages (update, closing, re-plans, dispatch checks) follow the same rules as the first.
    static func event(from snapshot: CaseSnapshot, id: String = "stored", type: CaseEvent.EventType = .caseReported) -> CaseEvent {
        let windows = (try? JSONDecoder().decode([ContactWindow].self, from: Data(snapshot.windowsJSON.utf8))) ?? []
        let victim = Victim(
            ref: snapshot.victimRef, givenName: snapshot.givenName, languages: snapshot.languages,
            timezone: snapshot.timezone.isEmpty ? nil : snapshot.timezone,
            contact: ContactDetails(sms: snapshot.phone, email: snapshot.email),
            preferredChannel: snapshot.preferredChannel.flatMap(Channel.init(rawValue:)),
            safeToContact: Victim.SafeToContact(rawValue: snapshot.safeToContact) ?? .unknown,
            consent: Consent(recorded: Consent.Status(rawValue: snapshot.consentStatus) ?? .unknown),
            windows: windows, discreetContact: snapshot.discreetContact)
        return CaseEvent(id: id, type: type, occurredAt: snapshot.openedAt,
                         caseInfo: CaseInfo(reference: snapshot.reference, unit: snapshot.unit, category: snapshot.category,
                                            priority: CaseInfo.Priority(rawValue: snapshot.priority)),
                         victim: victim, officer: Officer(workPhone: snapshot.officerPhone))
    }
}
