import Foundation

/// Where and how to reach the broker, parsed from an `amqp://` or `amqps://` URL
/// (`REASSURE_AMQP_URL`). The password is kept out of every description.
public struct AMQPURL: Sendable, Equatable, CustomStringConvertible {
    /// The URL used when `REASSURE_AMQP_URL` is not set: a broker on this machine.
    public static let defaultURL = "amqp://guest:guest@127.0.0.1:5672/%2f"

    public var useTLS: Bool
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var vhost: String
    /// PEM file of the certificate authorities trusted for `amqps://` (`?cacertfile=`).
    public var caCertificateFile: String?
    /// Whether `amqps://` checks the broker's certificate and host name (`?verify=verify_none` turns it off).
    public var verifyPeer: Bool
    /// Requested heartbeat in seconds (`?heartbeat=`); `nil` keeps the connection's configured value.
    public var heartbeatSeconds: Int?

    /// Parses a URL; throws `AMQPError` with code `.invalidURL` naming what is wrong (never the password).
    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw AMQPError(.invalidURL, "the AMQP URL is not a URL", remedy: "use amqp://user:password@host:port/vhost")
        }
        switch scheme {
        case "amqp": useTLS = false
        case "amqps": useTLS = true
        default:
            throw AMQPError(.invalidURL, "the AMQP URL scheme '\(scheme)' is not amqp or amqps",
                            remedy: "use amqp://user:password@host:port/vhost")
        }
        guard let host = components.host, !host.isEmpty else {
            throw AMQPError(.invalidURL, "the AMQP URL has no host", remedy: "use amqp://user:password@host:port/vhost")
        }
        self.host = host
        self.port = components.port ?? (useTLS ? 5671 : 5672)
        guard (1...65535).contains(port) else {
            throw AMQPError(.invalidURL, "the AMQP URL port \(port) is out of range", remedy: "use a port between 1 and 65535")
        }
        user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "guest"
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? "guest"
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            vhost = "/"
        } else {
            let encoded = path.dropFirst()
            guard !encoded.contains("/") else {
                throw AMQPError(.invalidURL, "the AMQP URL path must be a single vhost segment",
                                remedy: "percent-encode slashes in the vhost, e.g. %2f for /")
            }
            vhost = String(encoded).removingPercentEncoding ?? String(encoded)
        }
        let query = components.queryItems ?? []
        caCertificateFile = query.first { $0.name == "cacertfile" }?.value
        verifyPeer = query.first { $0.name == "verify" }?.value != "verify_none"
        if let heartbeat = query.first(where: { $0.name == "heartbeat" })?.value {
            guard let seconds = Int(heartbeat), (0...3600).contains(seconds) else {
                throw AMQPError(.invalidURL, "the AMQP URL heartbeat '\(heartbeat)' is not a number of seconds",
                                remedy: "use ?heartbeat=10")
            }
            heartbeatSeconds = seconds
        } else {
            heartbeatSeconds = nil
        }
    }

    /// The URL with the password replaced by `****`: safe for logs and error messages.
    public var description: String {
        let encodedVhost = vhost.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? vhost
        return "\(useTLS ? "amqps" : "amqp")://\(user):****@\(host):\(port)/\(encodedVhost)"
    }
}
