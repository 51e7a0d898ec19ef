import Foundation

/// Reduces a provider's HTTP answer to a `SendResult` (the table in `ProviderAPI`). Pure, so
/// every status can be tested without a server.
public enum ProviderResponseClassifier {
    /// Used when a 429 carries no usable `Retry-After`.
    public static let defaultRetryAfter: Duration = .seconds(1)

    public static func classify(status: Int, retryAfter: String?, body: [UInt8], provider: String,
                                now: Date = Date()) -> SendResult {
        let code = (try? JSONDecoder().decode(ProviderAPI.ErrorBody.self, from: Data(body)))?.error
        switch status {
        case 200..<300:
            guard let accepted = try? JSONDecoder().decode(ProviderAPI.Accepted.self, from: Data(body)), !accepted.id.isEmpty else {
                // Taken, but without an id we cannot match a receipt; retrying with the same key is safe.
                return .transientFailure(provider: provider, reason: "HTTP \(status) without a message id")
            }
            return .accepted(provider: provider, providerMessageID: accepted.id)
        case 429:
            return .rateLimited(provider: provider, retryAfter: parseRetryAfter(retryAfter, now: now) ?? defaultRetryAfter)
        case 408, 425, 500...599:
            return .transientFailure(provider: provider, reason: "HTTP \(status)" + (code.map { " \($0)" } ?? ""))
        case 401:
            return .permanentFailure(provider: provider, reason: .rejected)
        case 400..<500:
            if let code, let failure = PermanentFailure(rawValue: code) {
                return .permanentFailure(provider: provider, reason: failure)
            }
            switch status {
            case 403: return .permanentFailure(provider: provider, reason: .blocked)
            case 409: return .permanentFailure(provider: provider, reason: .optedOutAtProvider)
            case 422: return .permanentFailure(provider: provider, reason: .invalidAddress)
            default: return .permanentFailure(provider: provider, reason: .rejected)
            }
        default:
            // 1xx/3xx: nothing a provider API should answer; the next try may be answered properly.
            return .transientFailure(provider: provider, reason: "unexpected HTTP \(status)")
        }
    }

    /// `Retry-After` as delay-seconds or an HTTP date; nil when absent or unreadable.
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return .seconds(max(seconds, 0)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(max(Int(date.timeIntervalSince(now) * 1000), 0))
    }
}
