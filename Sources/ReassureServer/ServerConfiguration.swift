import Foundation

/// What `reassure serve` reads from its environment, validated at start.
public struct ServerConfiguration: Sendable {
    /// `REASSURE_HTTP_ADDR`, `host:port` (default `127.0.0.1:8080`).
    public var host: String
    public var port: Int
    /// `REASSURE_RATE_LIMIT_PER_MINUTE`: requests per token per minute (default 600).
    public var rateLimitPerMinute: Int
    /// `REASSURE_GATEWAY_WEBHOOK_SECRET`: without it the webhooks answer 503.
    public var webhookSecret: String?
    /// Largest `POST /v1/events` body (1 MiB) and batch (500 events).
    public var maxBodyBytes: Int
    public var maxBatchEvents: Int
    /// Events the relay moves per round trip to the store and broker (1,000: against 500, fewer
    /// and larger bursts cost the broker less per message; `bench ingest` 10,977/11,033/10,321
    /// against 9,794/10,398/10,588 events/s, interleaved).
    public var relayBatchSize: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, rateLimitPerMinute: Int = 600, webhookSecret: String? = nil,
                maxBodyBytes: Int = 1 << 20, maxBatchEvents: Int = 500, relayBatchSize: Int = 1_000) {
        self.host = host
        self.port = port
        self.rateLimitPerMinute = rateLimitPerMinute
        self.webhookSecret = webhookSecret
        self.maxBodyBytes = maxBodyBytes
        self.maxBatchEvents = maxBatchEvents
        self.relayBatchSize = relayBatchSize
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public static func fromEnvironment(_ environment: [String: String]) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if let address = environment["REASSURE_HTTP_ADDR"], !address.isEmpty {
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (0...65535).contains(port) else {
                throw Invalid(description: "REASSURE_HTTP_ADDR must be host:port, e.g. 127.0.0.1:8080 (got '\(address)')")
            }
            configuration.host = String(address[..<colon])
            configuration.port = port
        }
        if let text = environment["REASSURE_RATE_LIMIT_PER_MINUTE"], !text.isEmpty {
            guard let limit = Int(text), limit > 0 else {
                throw Invalid(description: "REASSURE_RATE_LIMIT_PER_MINUTE must be a positive whole number of requests per minute")
            }
            configuration.rateLimitPerMinute = limit
        }
        if let secret = environment["REASSURE_GATEWAY_WEBHOOK_SECRET"], !secret.isEmpty {
            configuration.webhookSecret = secret
        }
        return configuration
    }
}
