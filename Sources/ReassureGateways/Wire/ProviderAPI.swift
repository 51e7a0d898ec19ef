/// The JSON API between `HTTPGateway` and an SMS/email provider, as `reassure gateway-stub`
/// serves it. A real provider speaks its own dialect; its client maps that onto `SendResult`
/// the way `HTTPGateway` maps this one.
///
/// `POST /v1/messages` with `Authorization: Bearer <key>` and `Idempotency-Key: <key>`, body
/// `MessageRequest`. Answers:
///
/// | status | body `error` | `SendResult` |
/// |---|---|---|
/// | 202 (new) / 200 (same idempotency key again) | — (`Accepted`) | `.accepted` |
/// | 400 | `invalid_request`, `missing_idempotency_key`, `rejected` | `.permanentFailure(.rejected)` |
/// | 401 | `unauthorized` | `.permanentFailure(.rejected)` |
/// | 403 | `blocked` | `.permanentFailure(.blocked)` |
/// | 409 | `opted_out` | `.permanentFailure(.optedOutAtProvider)` |
/// | 422 | `invalid_address` | `.permanentFailure(.invalidAddress)` |
/// | 429 + `Retry-After: <seconds>` | `rate_limited` | `.rateLimited` |
/// | 408, 500, 502, 503, 504 | `unavailable` | `.transientFailure` |
public enum ProviderAPI {
    public static let messagesPath = "/v1/messages"
    public static let idempotencyKeyHeader = "Idempotency-Key"

    public struct MessageRequest: Codable, Sendable, Equatable {
        /// "sms" or "email".
        public var channel: String
        public var to: String
        public var from: String
        public var language: String
        public var body: String
        public var subject: String?
        public var html: String?
        public var segments: Int?

        public init(channel: String, to: String, from: String, language: String, body: String,
                    subject: String? = nil, html: String? = nil, segments: Int? = nil) {
            self.channel = channel
            self.to = to
            self.from = from
            self.language = language
            self.body = body
            self.subject = subject
            self.html = html
            self.segments = segments
        }

        public init(_ message: GatewayMessage) {
            self.init(channel: message.channel.rawValue, to: message.to, from: message.sender, language: message.language,
                      body: message.body, subject: message.subject, html: message.html,
                      segments: message.channel == .sms ? message.segments : nil)
        }
    }

    public struct Accepted: Codable, Sendable, Equatable {
        public var id: String
        public var status: String
        public init(id: String, status: String = "accepted") {
            self.id = id
            self.status = status
        }
    }

    /// Every error answer: a stable code and a sentence for people (never personal data).
    public struct ErrorBody: Codable, Sendable, Equatable {
        public var error: String
        public var message: String?
        public init(error: String, message: String? = nil) {
            self.error = error
            self.message = message
        }
    }

    /// The HTTP status a provider answers a permanent failure with.
    public static func status(for failure: PermanentFailure) -> Int {
        switch failure {
        case .invalidAddress: 422
        case .blocked: 403
        case .optedOutAtProvider: 409
        case .rejected: 400
        }
    }
}
