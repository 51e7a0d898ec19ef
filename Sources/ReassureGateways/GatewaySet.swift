import Foundation
import ReassureCore

/// The gateway for each channel, chosen by configuration: `REASSURE_GATEWAY_SMS` and
/// `REASSURE_GATEWAY_EMAIL` = `stub` (default: in-process stubs sharing one sent-log) or `http`
/// (a provider over HTTP, such as `reassure gateway-stub`).
public struct GatewaySet: Sendable {
    public var gateways: [Channel: any Gateway]

    public init(_ gateways: [Channel: any Gateway]) {
        self.gateways = gateways
    }

    public subscript(channel: Channel) -> (any Gateway)? { gateways[channel] }

    /// Builds the configured gateways; stubs hand their receipts to `receipts`.
    public static func fromEnvironment(_ environment: [String: String], receipts: ReceiptSink?) throws -> GatewaySet {
        var gateways: [Channel: any Gateway] = [:]
        var sentLog: SentLog?
        for channel in Channel.allCases {
            let key = "REASSURE_GATEWAY_\(channel.rawValue.uppercased())"
            switch environment[key] ?? "stub" {
            case "stub", "":
                let configuration = try StubConfiguration.fromEnvironment(environment, name: "stub-\(channel.rawValue)")
                if sentLog == nil { sentLog = try SentLog(path: configuration.sentLogPath) }
                gateways[channel] = StubGateway(channel: channel, configuration: configuration, log: sentLog!, receipts: receipts)
            case "http":
                gateways[channel] = try httpGateway(channel: channel, environment: environment)
            case let other:
                throw GatewayError("\(key) must be 'stub' or 'http', not '\(other)'")
            }
        }
        return GatewaySet(gateways)
    }

    /// The HTTP provider client(s) for `channel` (see `HTTPGateway`, `FailoverGateway`).
    static func httpGateway(channel: Channel, environment: [String: String]) throws -> any Gateway {
        guard let gateway = try HTTPGatewayConfiguration.fromEnvironment(environment).gateway(for: channel) else {
            throw GatewayError("REASSURE_GATEWAY_\(channel.rawValue.uppercased())=http needs REASSURE_GATEWAY_\(channel.rawValue.uppercased())_URL")
        }
        return gateway
    }
}
