import Crypto
import Foundation
import ReassureCore

/// How a gateway proves a webhook came from it: HMAC-SHA256 over `"<timestamp>.<body>"` with a
/// shared secret, sent as `X-Reassure-Timestamp` (Unix seconds) and
/// `X-Reassure-Signature: sha256=<hex>`. Requests older than `tolerance` are refused so a
/// captured request cannot be replayed later.
public struct WebhookSignature: Sendable {
    public static let timestampHeader = "X-Reassure-Timestamp"
    public static let signatureHeader = "X-Reassure-Signature"

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missing, malformed, stale, mismatch
        public var description: String {
            switch self {
            case .missing: "missing X-Reassure-Timestamp or X-Reassure-Signature header"
            case .malformed: "malformed signature headers (expected Unix seconds and sha256=<hex>)"
            case .stale: "the signature's timestamp is more than 5 minutes away from now"
            case .mismatch: "the signature does not match the body"
            }
        }
    }

    private let secret: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: secret) }
    public let tolerance: TimeInterval

    public init(secret: String, tolerance: TimeInterval = 300) {
        self.secret = Array(secret.utf8)
        self.tolerance = tolerance
    }

    /// The header values to send with `body`.
    public func sign(_ body: [UInt8], at now: Date = Date()) -> (timestamp: String, signature: String) {
        let timestamp = String(Int(now.timeIntervalSince1970))
        return (timestamp, "sha256=" + Hex.string(mac(timestamp, body)))
    }

    /// Checks the headers against `body`; throws `Failure` saying which check failed.
    public func verify(_ body: [UInt8], timestamp: String?, signature: String?, now: Date = Date()) throws(Failure) {
        guard let timestamp, let signature else { throw .missing }
        guard let seconds = TimeInterval(timestamp), signature.hasPrefix("sha256="),
              let given = Hex.bytes(String(signature.dropFirst(7))), given.count == 32 else { throw .malformed }
        guard abs(now.timeIntervalSince1970 - seconds) <= tolerance else { throw .stale }
        guard HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Array(timestamp.utf8) + Array(".".utf8) + body, using: key) else {
            throw .mismatch
        }
    }

    private func mac(_ timestamp: String, _ body: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(timestamp.utf8) + Array(".".utf8) + body, using: key))
    }

}
