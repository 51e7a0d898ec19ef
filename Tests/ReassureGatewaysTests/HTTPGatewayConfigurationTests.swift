import ReassureCore
import ReassureGateways
import Testing

@Suite struct HTTPGatewayConfigurationTests {
    @Test func aPlainURLIsOneProviderNamedAfterItsHost() throws {
        let configuration = try HTTPGatewayConfiguration.fromEnvironment([
            "REASSURE_GATEWAY_SMS_URL": "http://127.0.0.1:9090", "REASSURE_GATEWAY_API_KEY": "k",
        ])
        #expect(configuration.providers[.sms] == [.init(name: "127.0.0.1:9090", url: "http://127.0.0.1:9090", apiKey: "k")])
        #expect(configuration.providers[.email] == nil)
        #expect(configuration.timeout == .milliseconds(5000))
        #expect(configuration.gateway(for: .email) == nil)
        #expect(configuration.gateway(for: .sms)?.channel == .sms)
    }

    @Test func aListNamesWeightsAndKeys() throws {
        let configuration = try HTTPGatewayConfiguration.fromEnvironment([
            "REASSURE_GATEWAY_EMAIL_URL": "a=http://10.0.0.5:9090;weight=3, b=https://mail.example.org;weight=0.5;key=other",
            "REASSURE_GATEWAY_API_KEY": "shared", "REASSURE_GATEWAY_TIMEOUT_MS": "800",
        ])
        #expect(configuration.providers[.email] == [
            .init(name: "a", url: "http://10.0.0.5:9090", weight: 3, apiKey: "shared"),
            .init(name: "b", url: "https://mail.example.org", weight: 0.5, apiKey: "other"),
        ])
        #expect(configuration.timeout == .milliseconds(800))
        #expect(configuration.gateway(for: .email)?.name == "a+b")
    }

    @Test func mistakesNameTheVariable() {
        for (key, value) in [("REASSURE_GATEWAY_SMS_URL", "ftp://x"), ("REASSURE_GATEWAY_SMS_URL", "a=http://x;weight=0"),
                             ("REASSURE_GATEWAY_SMS_URL", "a=http://x,a=http://y"), ("REASSURE_GATEWAY_SMS_URL", "a=http://x;colour=red"),
                             ("REASSURE_GATEWAY_TIMEOUT_MS", "soon")] {
            var environment = ["REASSURE_GATEWAY_SMS_URL": "http://x"]
            environment[key] = value
            #expect(throws: ConfigurationError.self) { try HTTPGatewayConfiguration.fromEnvironment(environment) }
            do { _ = try HTTPGatewayConfiguration.fromEnvironment(environment) } catch {
                #expect("\(error)".contains(key))
            }
        }
    }
}
