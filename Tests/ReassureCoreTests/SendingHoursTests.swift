import Foundation
import PropertyBased
import Testing

@testable import ReassureCore

@Suite struct SendingHoursTests {
    static let zones = TimeZone.knownTimeZoneIdentifiers
    static let windowChoices: [[ContactWindow]] = [
        [], [ContactWindow(days: "mon-fri", from: "09:00", to: "17:00")], [ContactWindow(days: "sat", from: "10:00", to: "12:00")],
        [ContactWindow(days: "mon,wed,fri", from: "12:30", to: "13:15"), ContactWindow(days: "tue", from: "18:00", to: "24:00")],
        [ContactWindow(days: "fri-mon", from: "00:00", to: "10:00")], [ContactWindow(days: "daily", from: "08:00", to: "09:30")],
    ]

    /// An independent statement of the rule, from calendar components alone.
    static func allowed(_ instant: Date, zone: TimeZone, windows: [ContactWindow], holidays: Set<String>) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute, .year, .month, .day], from: instant)
        let minute = parts.hour! * 60 + parts.minute!
        let day = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        if holidays.contains(day) { return false }
        let unitOpen = (2...6).contains(parts.weekday!) ? (540..<1140).contains(minute) : parts.weekday! == 7 ? (540..<780).contains(minute) : false
        guard unitOpen else { return false }
        guard !windows.isEmpty else { return true }
        return windows.contains { window in
            WeekdaySet(parsing: window.days)!.contains(parts.weekday!)
                && (FieldFormats.minuteOfDay(window.from)!..<FieldFormats.minuteOfDay(window.to)!).contains(minute)
        }
    }

    @Test func noContactIsEverDueOutsideSendingHoursOrTheVictimsWindows() async {
        let start = FieldFormats.rfc3339("2026-01-01T00:00:00Z")!
        await propertyCheck(count: 400, input: Gen.int(in: 0..<Self.zones.count), Gen.int(in: 0..<(2 * 365 * 24 * 60)),
                            Gen.int(in: 0..<Self.windowChoices.count)) { zoneIndex, minutes, windowIndex in
            let zone = TimeZone(identifier: Self.zones[zoneIndex])!
            let windows = Self.windowChoices[windowIndex]
            let holidays: Set<String> = ["2026-12-25", "2027-01-01"]
            var hours = SendingHours.defaultHours
            hours.holidays = holidays
            if !windows.isEmpty { hours = hours.intersected(with: SendingHours(windows: windows)!) }
            let instant = start.addingTimeInterval(TimeInterval(minutes * 60))
            guard let due = hours.nextOpening(atOrAfter: instant, in: zone) else {
                Issue.record("hours never open for windows \(windowIndex) in \(zone.identifier)")
                return
            }
            #expect(due >= instant)
            #expect(Self.allowed(due, zone: zone, windows: windows, holidays: holidays),
                    "\(due) in \(zone.identifier) for windows \(windowIndex)")
            #expect(due.timeIntervalSince(instant) < 40 * 86_400, "the next opening is not absurdly far")
        }
    }

    @Test func theWallClockShortcutAgreesWithTheCalendarEverywhere() async {
        // Instants on whole and odd seconds, across two years, every zone, holidays included.
        let start = FieldFormats.rfc3339("2026-01-01T00:00:00Z")!
        await propertyCheck(count: 2000, input: Gen.int(in: 0..<Self.zones.count), Gen.int(in: 0..<(2 * 365 * 24 * 3600)),
                            Gen.int(in: 0..<Self.windowChoices.count)) { zoneIndex, seconds, windowIndex in
            let zone = TimeZone(identifier: Self.zones[zoneIndex])!
            var hours = SendingHours.defaultHours
            hours.holidays = ["2026-12-25", "2027-01-01", "2026-03-02"]
            let windows = Self.windowChoices[windowIndex]
            if !windows.isEmpty { hours = hours.intersected(with: SendingHours(windows: windows)!) }
            let instant = start.addingTimeInterval(TimeInterval(seconds))
            #expect(hours.nextOpening(atOrAfter: instant, in: zone) == hours.calendarNextOpening(atOrAfter: instant, in: zone),
                    "\(instant) in \(zone.identifier) for windows \(windowIndex)")
        }
    }

    @Test func civilDatesMatchTheCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // 1901 to 2199, the Gregorian years a holiday list can name (Foundation turns Julian before 1582).
        for days in stride(from: -25_000, through: 84_000, by: 13) {
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            #expect(SendingHours.civilDate(daysSinceEpoch: days) == String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))
        }
    }

    @Test func aContactDueOnSundayWaitsForMondayMorning() {
        let zone = TimeZone(identifier: "Africa/Johannesburg")!
        let sunday = FieldFormats.rfc3339("2026-11-22T10:00:00+02:00")!
        #expect(SendingHours.defaultHours.nextOpening(atOrAfter: sunday, in: zone) == FieldFormats.rfc3339("2026-11-23T09:00:00+02:00"))
    }

    @Test func openingTimesFollowTheLocalClockAcrossDaylightSavingChanges() {
        // America/Denver springs forward on 8 March 2026; Europe/London on 29 March 2026.
        let denver = TimeZone(identifier: "America/Denver")!
        let beforeChange = FieldFormats.rfc3339("2026-03-07T20:00:00-07:00")!  // Saturday evening, closed
        #expect(SendingHours.defaultHours.nextOpening(atOrAfter: beforeChange, in: denver) == FieldFormats.rfc3339("2026-03-09T09:00:00-06:00"))
        let london = TimeZone(identifier: "Europe/London")!
        let fridayNight = FieldFormats.rfc3339("2026-03-27T20:00:00Z")!
        #expect(SendingHours.defaultHours.nextOpening(atOrAfter: fridayNight, in: london) == FieldFormats.rfc3339("2026-03-28T09:00:00Z"))
        let sundayNight = FieldFormats.rfc3339("2026-03-29T20:00:00+01:00")!
        #expect(SendingHours.defaultHours.nextOpening(atOrAfter: sundayNight, in: london) == FieldFormats.rfc3339("2026-03-30T09:00:00+01:00"))
    }

    @Test func aHolidayIsSkipped() {
        var hours = SendingHours.defaultHours
        hours.holidays = ["2026-12-16"]
        let zone = TimeZone(identifier: "Africa/Johannesburg")!
        let holidayMorning = FieldFormats.rfc3339("2026-12-16T10:00:00+02:00")!
        #expect(hours.nextOpening(atOrAfter: holidayMorning, in: zone) == FieldFormats.rfc3339("2026-12-17T09:00:00+02:00"))
    }

    @Test func windowsThatNeverMeetTheUnitsHoursNeverOpen() {
        let night = SendingHours(windows: [ContactWindow(days: "mon-fri", from: "20:00", to: "23:00")])!
        let hours = SendingHours.defaultHours.intersected(with: night)
        #expect(hours.nextOpening(atOrAfter: Date(), in: TimeZone(identifier: "UTC")!) == nil)
    }

    @Test(arguments: [("mon-fri", [2, 3, 4, 5, 6]), ("sat", [7]), ("fri-mon", [6, 7, 1, 2]), ("mon,wed", [2, 4]), ("daily", [1, 2, 3, 4, 5, 6, 7])])
    func dayListsParse(_ text: String, _ days: [Int]) {
        #expect(WeekdaySet(parsing: text)?.days == Set(days))
    }

    @Test(arguments: ["", "weekdays", "mon-", "monday-friday,,", "xyz"])
    func badDayListsAreRefused(_ text: String) {
        #expect(WeekdaySet(parsing: text) == nil)
    }
}
