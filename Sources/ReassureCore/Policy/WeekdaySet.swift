/// Days of the week as `Calendar` numbers them (1 = Sunday … 7 = Saturday), parsed from the
/// event and config spelling: `mon-fri`, `sat`, `mon,wed,fri`, `fri-mon` (wraps), `daily`.
public struct WeekdaySet: Sendable, Equatable, Hashable {
    public var days: Set<Int>

    public init(_ days: Set<Int>) { self.days = days }

    static let names = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    /// `nil` when the text is not a day list. Remembered by text: every event's sending windows
    /// name their days, in a handful of spellings, and parsing them was 2% of ingest's CPU.
    public init?(parsing text: String) {
        guard let parsed = Self.parsed.value(for: text, { WeekdaySet(parsingAfresh: text) }) else { return nil }
        self = parsed
    }

    private static let parsed = BoundedMemo<String, WeekdaySet?>(limit: 1_024)

    private init?(parsingAfresh text: String) {
        let lowered = text.lowercased().replacingOccurrences(of: " ", with: "")
        if lowered == "daily" || lowered == "all" || lowered == "mon-sun" {
            days = Set(1...7)
            return
        }
        var result: Set<Int> = []
        for part in lowered.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Self.names[String($0.prefix(3))] }
            guard !part.isEmpty, bounds.allSatisfy({ $0 != nil }), part.split(separator: "-").allSatisfy({ $0.count == 3 }) else {
                return nil
            }
            switch bounds.count {
            case 1: result.insert(bounds[0]!)
            case 2:
                var day = bounds[0]!
                result.insert(day)
                while day != bounds[1]! {
                    day = day % 7 + 1
                    result.insert(day)
                }
            default: return nil
            }
        }
        days = result
    }

    public func contains(_ weekday: Int) -> Bool { days.contains(weekday) }
}
