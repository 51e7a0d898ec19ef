import Foundation
import Testing

@testable import ReassureCore

@Suite struct PolicyAndClockTests {
    @Test func overridesComeFromYAMLPerUnitAndCategory() throws {
        let policy = try ContactPolicyLoader.parse(yaml: """
            policy:
              max_monthly_contacts: 3
              emergency_number: "10111"
              schedules:
                standard: [acknowledgement@0h, check_in@2wd, check_in@21d]
              units:
                pretoria-central-vsu:
                  holidays: [2026-12-16, "2026-12-25"]
                  max_monthly_contacts: 1
                  categories:
                    business_robbery: {priority: enhanced}
                    burglary: {schedule: [acknowledgement@4h]}
            """)
        #expect(policy.maxMonthlyContacts == 3)
        #expect(policy.defaultEmergencyNumber == "10111")
        #expect(policy.schedule(unit: "other", category: nil, priority: .standard).map(\.offset) == [.hours(0), .workingDays(2), .days(21)])
        #expect(policy.schedule(unit: "pretoria-central-vsu", category: "business_robbery", priority: .standard) == ContactPolicy.enhancedSchedule)
        #expect(policy.schedule(unit: "pretoria-central-vsu", category: "burglary", priority: .enhanced) == [ScheduleStep(.acknowledgement, .hours(4))])
        #expect(policy.hours(unit: "pretoria-central-vsu").holidays == ["2026-12-16", "2026-12-25"])
        #expect(policy.monthlyContacts(unit: "pretoria-central-vsu") == 1)
    }

    @Test(arguments: [
        ("policy:\n  schedules:\n    urgent: []", "policy.schedules.urgent is not a priority"),
        ("policy:\n  schedules:\n    standard: [check_in@soon]", "write stage@offset"),
        ("policy:\n  units:\n    u1:\n      holidays: [2026-13-45]", "policy.units.u1.holidays"),
        ("policy:\n  max_monthly_contacts: -1", "policy.max_monthly_contacts must be a whole number"),
        ("policy: [", "is not valid YAML"),
    ])
    func badConfigurationIsRefusedWithItsPath(_ yaml: String, _ expected: String) {
        #expect {
            try ContactPolicyLoader.parse(yaml: yaml)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func theClockScaleRunsAWeekPerSecond() throws {
        let origin = FieldFormats.rfc3339("2026-11-20T00:00:00Z")!
        let clock = ScaledClock(scale: 604_800, origin: origin)
        let weekLater = origin.addingTimeInterval(7 * 86_400)
        let delay = clock.realDelay(until: weekLater)
        #expect(delay <= .seconds(1) && delay > .milliseconds(900))
        #expect(clock.now() >= origin)
    }

    @Test func theClockScaleIsOffByDefaultAndRefusesNonsense() throws {
        #expect(try ClockConfiguration.clock(from: [:]) is SystemClock)
        #expect(try ClockConfiguration.clock(from: ["REASSURE_CLOCK_SCALE": "604800"]) is ScaledClock)
        #expect(throws: ConfigurationError.self) { try ClockConfiguration.clock(from: ["REASSURE_CLOCK_SCALE": "-3"]) }
        #expect(throws: ConfigurationError.self) { try ClockConfiguration.clock(from: ["REASSURE_CLOCK_SCALE": "fast"]) }
    }
}
