import Foundation

/// When a message may go out, in the victim's own time zone: the unit's sending hours (by
/// default Mon–Fri 09:00–19:00, Sat 09:00–13:00, never Sunday), narrowed by the victim's own
/// windows, never on the unit's public holidays. A contact due outside waits for the next opening.
public struct SendingHours: Sendable, Equatable {
    /// Minutes after local midnight, `[start, end)`.
    public struct Span: Sendable, Equatable, Hashable {
        public var start: Int
        public var end: Int
        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
    }

    /// Weekday (1 = Sunday … 7 = Saturday) → open spans, sorted, non-overlapping.
    public private(set) var spans: [Int: [Span]]
    /// Local dates (`yyyy-MM-dd`) with no sending at all.
    public var holidays: Set<String>

    public init(spans: [Int: [Span]], holidays: Set<String> = []) {
        self.spans = spans.mapValues(Self.merge)
        self.holidays = holidays
    }

    /// Mon–Fri 09:00–19:00, Sat 09:00–13:00.
    public static let defaultHours = SendingHours(windows: [
        ContactWindow(days: "mon-fri", from: "09:00", to: "19:00"), ContactWindow(days: "sat", from: "09:00", to: "13:00"),
    ])!

    /// From windows in the event/config spelling; `nil` if one is malformed.
    public init?(windows: [ContactWindow], holidays: Set<String> = []) {
        var spans: [Int: [Span]] = [:]
        for window in windows {
            guard let days = WeekdaySet(parsing: window.days), let start = FieldFormats.minuteOfDay(window.from),
                  let end = FieldFormats.minuteOfDay(window.to), start < end else { return nil }
            for day in days.days { spans[day, default: []].append(Span(start: start, end: end)) }
        }
        self.init(spans: spans, holidays: holidays)
    }

    /// Open only when both are open (the unit's hours narrowed by the victim's windows).
    public func intersected(with other: SendingHours) -> SendingHours {
        var result: [Int: [Span]] = [:]
        for day in 1...7 {
            for a in spans[day] ?? [] {
                for b in other.spans[day] ?? [] {
                    let start = max(a.start, b.start), end = min(a.end, b.end)
                    if start < end { result[day, default: []].append(Span(start: start, end: end)) }
                }
            }
        }
        return SendingHours(spans: result, holidays: holidays.union(other.holidays))
    }

    /// True when a message may go out at `instant` in `timeZone`.
    public func isOpen(at instant: Date, in timeZone: TimeZone) -> Bool {
        nextOpening(atOrAfter: instant, in: timeZone) == instant
    }

    /// The first instant at or after `instant` when sending is allowed, or `nil` when the hours
    /// never open (within a year and a bit).
    public func nextOpening(atOrAfter instant: Date, in timeZone: TimeZone) -> Date? {
        // Most instants asked about are open (a contact due now, inside the hours): that answer
        // needs only the UTC offset at the instant, not a Calendar walk, which cost a sixth of
        // the workers' CPU. Anything else takes the exact path below.
        if isOpenByWallClock(instant, timeZone) { return instant }
        return calendarNextOpening(atOrAfter: instant, in: timeZone)
    }

    /// True when the local wall clock at `instant` (from the zone's offset at that instant) is
    /// inside a span on a day that is not a holiday.
    func isOpenByWallClock(_ instant: Date, _ timeZone: TimeZone) -> Bool {
        let local = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
        let days = Int((local / 86_400).rounded(.down))
        let minute = Int(((local - Double(days) * 86_400) / 60).rounded(.down))
        // 1970-01-01 was a Thursday (weekday 5 counting Sunday as 1).
        let weekday = ((days % 7 + 7 + 4) % 7) + 1
        guard let open = spans[weekday], open.contains(where: { $0.start <= minute && minute < $0.end }) else { return false }
        return holidays.isEmpty || !holidays.contains(Self.civilDate(daysSinceEpoch: days))
    }

    /// `yyyy-MM-dd` of a day counted from 1970-01-01 (proleptic Gregorian; Hinnant's algorithm).
    static func civilDate(daysSinceEpoch days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// The exact answer by walking local days with a Calendar (DST gaps and all).
    func calendarNextOpening(atOrAfter instant: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let formatter = Self.dayFormatter(timeZone)
        var day = calendar.startOfDay(for: instant)
        for _ in 0..<400 {
            let weekday = calendar.component(.weekday, from: day)
            if !holidays.contains(formatter.string(from: day)) {
                for span in spans[weekday] ?? [] {
                    guard let start = Self.wallClock(span.start, on: day, calendar),
                          let end = Self.wallClock(span.end, on: day, calendar), start < end else { continue }
                    if instant < start { return start }
                    if instant < end { return instant }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = calendar.startOfDay(for: next)
        }
        return nil
    }

    /// The instant the local wall clock shows `minutes` after midnight on `day`; 24:00 is the
    /// next midnight. A time skipped by a DST change moves to the first time after the gap.
    static func wallClock(_ minutes: Int, on day: Date, _ calendar: Calendar) -> Date? {
        if minutes >= 24 * 60 {
            return calendar.date(byAdding: .day, value: 1, to: day).map { calendar.startOfDay(for: $0) }
        }
        return calendar.date(bySettingHour: minutes / 60, minute: minutes % 60, second: 0, of: day,
                             matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .forward)
    }

    static func dayFormatter(_ timeZone: TimeZone) -> DayFormatter {
        DayFormatter(timeZone: timeZone)
    }

    /// `yyyy-MM-dd` of a day in a time zone, from calendar components: a `DateFormatter` costs
    /// far more to build than the dispatcher's whole check, which needs one per contact.
    struct DayFormatter {
        let calendar: Calendar

        init(timeZone: TimeZone) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            self.calendar = calendar
        }

        func string(from date: Date) -> String {
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        }

        func date(from text: String) -> Date? {
            let parts = text.split(separator: "-")
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
            return calendar.date(from: DateComponents(year: year, month: month, day: day))
        }
    }

    private static func merge(_ spans: [Span]) -> [Span] {
        var merged: [Span] = []
        for span in spans.sorted(by: { $0.start < $1.start }) {
            if let last = merged.last, span.start <= last.end {
                merged[merged.count - 1].end = max(last.end, span.end)
            } else {
                merged.append(span)
            }
        }
        return merged
    }
}
