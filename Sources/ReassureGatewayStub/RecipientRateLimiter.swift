import Foundation

/// A sliding one-minute window per recipient: a provider's protection against flooding one phone.
struct RecipientRateLimiter {
    private var sends: [String: [Date]] = [:]

    /// Admits one send to `recipient` at `now`, or says how long to wait (whole seconds, at least 1).
    mutating func admit(_ recipient: String, limitPerMinute: Int, now: Date) -> Int? {
        guard limitPerMinute > 0 else { return nil }
        let windowStart = now.addingTimeInterval(-60)
        var recent = sends[recipient, default: []].filter { $0 > windowStart }
        if recent.count >= limitPerMinute {
            sends[recipient] = recent
            let wait = recent[recent.count - limitPerMinute].timeIntervalSince(windowStart)
            return max(1, Int(wait.rounded(.up)))
        }
        recent.append(now)
        sends[recipient] = recent
        if sends.count > 10_000 { sends = sends.filter { $0.value.contains { $0 > windowStart } } }
        return nil
    }
}
