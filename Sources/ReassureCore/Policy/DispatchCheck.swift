import Foundation

/// The dispatcher's last look before a message leaves: the victim's details may have changed
/// since the plan was made, and the contact may be due outside sending hours by now.
public enum DispatchCheck: Sendable, Equatable {
    /// Send now on this channel (the planned one, or the other when its address is gone).
    case send(Channel)
    /// Outside sending hours: reschedule for this instant.
    case wait(until: Date)
    /// A machine must not send it any more; these tasks go to a person instead.
    case block([PersonTask])
}

extension ContactPlanner {
    /// Checks a planned contact against the victim's current details and the time `now`.
    /// Replies to the victim (`opt_out_confirmation`, `help_reply`) ignore sending hours: they
    /// answer a message the victim just sent.
    public func dispatchCheck(for event: CaseEvent, stage: ContactStage, plannedChannel: Channel, now: Date) -> DispatchCheck {
        let eligibility = ContactEligibility(policy: policy, catalog: catalog).tasks(for: event)
        guard eligibility.tasks.isEmpty, let route = eligibility.route else { return .block(eligibility.tasks) }
        if stage != .optOutConfirmation, stage != .helpReply, !route.hours.isOpen(at: now, in: route.timeZone) {
            guard let next = route.hours.nextOpening(atOrAfter: now, in: route.timeZone) else {
                return .block([PersonTask(kind: .noSendingHours, reason: "the victim's windows never meet the unit's sending hours")])
            }
            return .wait(until: next)
        }
        let channel = event.victim?.contact?.address(for: plannedChannel) != nil ? plannedChannel : route.channel
        return .send(channel)
    }
}
