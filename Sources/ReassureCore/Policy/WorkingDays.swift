import Foundation

/// Working days: Monday to Friday, except the unit's public holidays, in the victim's time zone.
public enum WorkingDays {
    /// The instant `count` working days after `instant`, keeping the local time of day.
    public static func adding(_ count: Int, to instant: Date, in timeZone: TimeZone, holidays: Set<String>) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let formatter = SendingHours.dayFormatter(timeZone)
        var current = instant
        var remaining = count
        while remaining > 0 {
            guard let next = calendar.date(byAdding: .day, value: 1, to: current) else { break }
            current = next
            let weekday = calendar.component(.weekday, from: current)
            if (2...6).contains(weekday) && !holidays.contains(formatter.string(from: current)) { remaining -= 1 }
        }
        return current
    }
}
