import AsyncHTTPClient
import Foundation
import ReassureCore

/// Which HTTP providers serve each channel, from the environment:
///
/// - `REASSURE_GATEWAY_SMS_URL`, `REASSURE_GATEWAY_EMAIL_URL`: one provider as a plain URL
///   (`http://127.0.0.1:9090`, named after its host and port), or several, comma-separated, as
///   `name=url` with optional `;weight=N` (default 1) and `;key=API_KEY` (default the shared key):
///   `a=http://10.0.0.5:9090;weight=3,b=http://10.0.0.6:9090;weight=1`.
/// - `REASSURE_GATEWAY_API_KEY`: the bearer key for every provider without its own.
/// - `REASSURE_GATEWAY_TIMEOUT_MS`: per request (default 5000).
/// - `REASSURE_GATEWAY_FAILOVER_ERROR_RATE` (default 0.5) and
///   `REASSURE_GATEWAY_FAILOVER_LATENCY_MS` (default 2000): when a provider's share drops.
public struct HTTPGatewayConfiguration: Sendable, Equatable {
    public struct Provider: Sendable, Equatable {
        public var name: String
        public var url: String
        public var weight: Double
        public var apiKey: String

        public init(name: String, url: String, weight: Double = 1, apiKey: String) {
            self.name = name
            self.url = url
            self.weight = weight
            self.apiKey = apiKey
        }
    }

    public var providers: [Channel: [Provider]]
    public var timeout: Duration
    public var policy: ProviderHealthPolicy

    public init(providers: [Channel: [Provider]], timeout: Duration = .seconds(5),
                policy: ProviderHealthPolicy = ProviderHealthPolicy()) {
        self.providers = providers
        self.timeout = timeout
        self.policy = policy
    }

    /// Reads the variables above; throws `ConfigurationError` naming the variable at fault.
    /// A channel without a URL variable has no providers.
    public static func fromEnvironment(_ environment: [String: String]) throws -> HTTPGatewayConfiguration {
        let sharedKey = environment["REASSURE_GATEWAY_API_KEY"] ?? ""
        var providers: [Channel: [Provider]] = [:]
        for channel in Channel.allCases {
            let variable = "REASSURE_GATEWAY_\(channel.rawValue.uppercased())_URL"
            guard let text = environment[variable]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { continue }
            providers[channel] = try parseProviders(text, variable: variable, sharedKey: sharedKey)
        }
        func number(_ key: String, default value: Double, range: ClosedRange<Double>) throws -> Double {
            guard let text = environment[key], !text.isEmpty else { return value }
            guard let parsed = Double(text), range.contains(parsed) else {
                throw ConfigurationError("\(key) must be a number in \(range.lowerBound)…\(range.upperBound), not '\(text)'")
            }
            return parsed
        }
        var policy = ProviderHealthPolicy()
        policy.errorRateThreshold = try number("REASSURE_GATEWAY_FAILOVER_ERROR_RATE", default: 0.5, range: 0.01...1)
        policy.latencyThreshold = .milliseconds(Int(try number("REASSURE_GATEWAY_FAILOVER_LATENCY_MS", default: 2000, range: 1...600_000)))
        let timeout = try number("REASSURE_GATEWAY_TIMEOUT_MS", default: 5000, range: 1...600_000)
        return HTTPGatewayConfiguration(providers: providers, timeout: .milliseconds(Int(timeout)), policy: policy)
    }

    /// Parses a provider list (see the type's documentation).
    public static func parseProviders(_ text: String, variable: String, sharedKey: String) throws -> [Provider] {
        var providers: [Provider] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            var parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let head = parts.removeFirst()
            var provider: Provider
            if let equals = head.firstIndex(of: "="), !head[..<equals].contains(":") {
                provider = Provider(name: String(head[..<equals]), url: String(head[head.index(after: equals)...]), apiKey: sharedKey)
            } else {
                provider = Provider(name: "", url: head, apiKey: sharedKey)
            }
            guard let url = URL(string: provider.url), let scheme = url.scheme, ["http", "https"].contains(scheme), let host = url.host else {
                throw ConfigurationError("\(variable): '\(provider.url)' is not an http(s) URL")
            }
            if provider.name.isEmpty { provider.name = url.port.map { "\(host):\($0)" } ?? host }
            for option in parts {
                let pair = option.split(separator: "=", maxSplits: 1).map(String.init)
                switch (pair.first, pair.count) {
                case ("weight", 2):
                    guard let weight = Double(pair[1]), weight > 0 else {
                        throw ConfigurationError("\(variable): weight of '\(provider.name)' must be a number above 0, not '\(pair[1])'")
                    }
                    provider.weight = weight
                case ("key", 2):
                    provider.apiKey = pair[1]
                default:
                    throw ConfigurationError("\(variable): unknown option '\(pair.first ?? option)' for '\(provider.name)' (weight=N or key=…)")
                }
            }
            guard !providers.contains(where: { $0.name == provider.name }) else {
                throw ConfigurationError("\(variable): provider name '\(provider.name)' appears twice")
            }
            providers.append(provider)
        }
        guard !providers.isEmpty else { throw ConfigurationError("\(variable) names no provider") }
        return providers
    }

    /// The gateway for `channel`: its providers behind a `FailoverGateway` (also with a single
    /// provider, so metrics look the same), or nil when none is configured. `seed` fixes the
    /// sequence of provider choices (tests).
    public func gateway(for channel: Channel, client: HTTPClient = .shared, seed: UInt64? = nil) -> (any Gateway)? {
        guard let list = providers[channel], !list.isEmpty else { return nil }
        let members: [(gateway: any Gateway, weight: Double)] = list.map {
            (HTTPGateway(name: $0.name, channel: channel, baseURL: $0.url, apiKey: $0.apiKey, timeout: timeout, client: client), $0.weight)
        }
        return FailoverGateway(channel: channel, providers: members, policy: policy, seed: seed)
    }
}
