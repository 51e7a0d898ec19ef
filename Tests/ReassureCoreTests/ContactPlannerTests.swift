import Foundation
import PropertyBased
import Testing

@testable import ReassureCore

@Suite struct ContactPlannerTests {
    let planner = ContactPlanner(policy: ContactPolicy(), catalog: shippedCatalog)
    let johannesburg = TimeZone(identifier: "Africa/Johannesburg")!

    func plan(_ object: [String: Any], policy: ContactPolicy = ContactPolicy()) throws -> ContactPlan {
        let event = try decodedEvent(object)
        return ContactPlanner(policy: policy, catalog: shippedCatalog).plan(for: event, now: event.occurredAt)
    }

    @Test func anEnhancedCaseGetsAcknowledgementNextWorkingDayDay7Day14Day28ThenMonthly() throws {
        let result = try plan(reportedEvent(priority: "enhanced"))
        #expect(result.tasks.isEmpty)
        #expect(result.contacts.map(\.label) == ["on report", "next working day", "day 7", "day 14", "day 28",
                                                 "month 1", "month 2", "month 3", "month 4", "month 5", "month 6"])
        #expect(result.contacts.allSatisfy { $0.language == "so" && $0.channel == .sms && $0.templateVersion == "2026-11-23.1" })
        // Reported Friday 11:30 local: acknowledged at once; the next working day is Monday.
        #expect(result.contacts[0].dueAt == FieldFormats.rfc3339("2026-11-20T11:30:00+02:00"))
        #expect(result.contacts[1].dueAt == FieldFormats.rfc3339("2026-11-23T11:30:00+02:00"))
    }

    @Test func aStandardCaseChecksInWithinFiveWorkingDays() throws {
        let result = try plan(reportedEvent(priority: "standard"))
        #expect(result.contacts.map(\.label).prefix(4) == ["on report", "working day 3", "day 14", "day 28"])
        let checkIn = result.contacts[1].dueAt
        #expect(checkIn > result.contacts[0].dueAt && checkIn.timeIntervalSince(result.contacts[0].dueAt) <= 7 * 86_400)
    }

    @Test func theMonthlyTailIsBoundedByConfiguration() throws {
        var policy = ContactPolicy()
        policy.maxMonthlyContacts = 2
        #expect(try plan(reportedEvent(priority: "standard"), policy: policy).contacts.count == 4 + 2)
    }

    @Test func anUnsafeVictimGetsNoMessageAndATaskForAPerson() throws {
        let result = try plan(reportedEvent(safe: "no"))
        #expect(result.contacts.isEmpty)
        #expect(result.tasks.map(\.kind) == [.unsafeContact])
        #expect(try plan(reportedEvent(safe: "unknown")).tasks.map(\.kind) == [.unsafeContact])
    }

    @Test func aVictimWhoseLanguageHasNoCatalogGetsAnInterpreterTask() throws {
        let result = try plan(reportedEvent(languages: ["ti", "om"]))
        #expect(result.contacts.isEmpty)
        #expect(result.tasks == [PersonTask(kind: .interpreterNeeded, reason: result.tasks[0].reason, language: "ti")])
    }

    @Test func restrictedCategoriesGoToAPersonUnlessTheUnitOptsIn() throws {
        #expect(try plan(reportedEvent(category: "domestic_abuse")).tasks.map(\.kind) == [.personalContactRequired])
        let policy = try ContactPolicyLoader.parse(yaml: """
            policy:
              units:
                pretoria-central-vsu:
                  allow_categories: [domestic_abuse]
            """)
        #expect(try plan(reportedEvent(category: "domestic_abuse"), policy: policy).contacts.count > 0)
    }

    @Test func withoutConsentAPersonAsksFirst() throws {
        var event = reportedEvent()
        var victim = event["victim"] as! [String: Any]
        victim["consent"] = ["status": "refused"]
        event["victim"] = victim
        #expect(try plan(event).tasks.map(\.kind) == [.consentNeeded])
    }

    @Test func theOtherChannelIsUsedWhenThePreferredOneHasNoAddress() throws {
        var event = reportedEvent(channel: "sms")
        var victim = event["victim"] as! [String: Any]
        victim["contact"] = ["email": "amina@example.org"]
        event["victim"] = victim
        #expect(try plan(event).contacts.allSatisfy { $0.channel == .email })
    }

    @Test func plannedContactsAlwaysFallInsideSendingHoursAndTheVictimsWindows() async throws {
        let zones = ["Africa/Johannesburg", "America/Denver", "Europe/London", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns", "Australia/Lord_Howe"]
        let windows: [[[String: String]]] = [[], [["days": "mon-fri", "from": "09:00", "to": "17:00"]],
                                             [["days": "tue,thu", "from": "13:00", "to": "14:00"]], [["days": "sat", "from": "08:00", "to": "12:00"]]]
        await propertyCheck(count: 120, input: Gen.int(in: 0..<zones.count), Gen.int(in: 0..<windows.count), Gen.int(in: 0..<(365 * 24))) {
            zoneIndex, windowIndex, hour in
            let reported = Date(timeIntervalSince1970: 1_767_225_600 + Double(hour) * 3600)  // from 2026-01-01
            let formatter = ISO8601DateFormatter()
            let object = reportedEvent(timezone: zones[zoneIndex], windows: windows[windowIndex], occurredAt: formatter.string(from: reported))
            let event = try! decodedEvent(object)
            let result = planner.plan(for: event, now: reported)
            let zone = TimeZone(identifier: zones[zoneIndex])!
            let victimWindows = windows[windowIndex].map { ContactWindow(days: $0["days"]!, from: $0["from"]!, to: $0["to"]!) }
            #expect(!result.contacts.isEmpty)
            for contact in result.contacts {
                #expect(contact.dueAt >= reported)
                #expect(SendingHoursTests.allowed(contact.dueAt, zone: zone, windows: victimWindows, holidays: []),
                        "\(contact.label) at \(contact.dueAt) in \(zone.identifier)")
            }
        }
    }

    @Test func aClosingMessageAndAnOptOutConfirmationAreSingleContacts() throws {
        let event = try decodedEvent(reportedEvent())
        let sunday = FieldFormats.rfc3339("2026-11-22T10:00:00+02:00")!
        let closing = planner.single(.closing, for: event, now: sunday)
        #expect(closing.contacts.map(\.stage) == [.closing])
        #expect(closing.contacts[0].dueAt == FieldFormats.rfc3339("2026-11-23T09:00:00+02:00"), "waits for sending hours")
        let confirmation = planner.single(.optOutConfirmation, for: event, now: sunday, respectHours: false)
        #expect(confirmation.contacts[0].dueAt == sunday, "a reply to the victim's own STOP goes at once")
    }
}
