import Foundation
import ReassureCore
import ReassureGateways
import ReassureGatewayStub
import Testing

/// Issue #5's failover test: two real stub providers; one starts failing and traffic moves to
/// the other, then comes back after it recovers. No message is lost or sent twice on the way.
@Suite(.timeLimit(.minutes(2))) struct FailoverWithStubsTests {
    @Test func trafficMovesAwayFromAFailingProviderAndBackAfterItRecovers() async throws {
        let configurations = [GatewayStubConfiguration(name: "stub-a", apiKey: "key"),
                              GatewayStubConfiguration(name: "stub-b", apiKey: "key", seed: 2)]
        try await withGatewayStubs(configurations) { urls in
            // Latency is not under test here: a loaded test machine must not demote a provider for slowness.
            let environment = ["REASSURE_GATEWAY_SMS_URL": "stub-a=\(urls[0]),stub-b=\(urls[1])", "REASSURE_GATEWAY_API_KEY": "key",
                               "REASSURE_GATEWAY_FAILOVER_LATENCY_MS": "60000", "REASSURE_GATEWAY_TIMEOUT_MS": "30000"]
            let configuration = try HTTPGatewayConfiguration.fromEnvironment(environment)
            let gateway = try #require(configuration.gateway(for: .sms, seed: 11) as? FailoverGateway)
            let a = StubControl(baseURL: urls[0], apiKey: "key"), b = StubControl(baseURL: urls[1], apiKey: "key")
            var sent = 0
            func send(_ count: Int) async throws -> [SendResult] {
                var results: [SendResult] = []
                for _ in 0..<count {
                    sent += 1
                    results.append(await gateway.send(message("contact-\(sent)#1", to: "+2782\(String(1_000_000 + sent))")))
                }
                return results
            }

            // Both healthy: traffic splits about evenly.
            let warm = try await send(40)
            #expect(warm.allSatisfy { $0.isAccepted })
            #expect(try await a.count("accepted") > 8)
            #expect(try await b.count("accepted") > 8)

            // stub-b has an outage: every send still succeeds (at stub-a), and stub-b drops to a probe share.
            try await b.faults(#"{"transient_rate":1}"#)
            let outage = try await send(60)
            #expect(outage.allSatisfy { $0.isAccepted })
            #expect(outage.suffix(40).allSatisfy { $0.provider == "stub-a" })
            #expect((gateway.shares["stub-b"] ?? 1) < 0.06)
            #expect(gateway.health["stub-b"]?.state == .demoted)
            let bFailures = try await b.count("transient_failures")
            #expect(bFailures > 0 && bFailures < 20, "stub-b got probes only once demoted")

            // stub-b recovers: its share drifts back to half.
            try await b.faults(#"{"transient_rate":0}"#)
            let acceptedAtBBefore = try await b.count("accepted")
            var recovery = 0
            while (gateway.shares["stub-b"] ?? 0) < 0.5 && recovery < 1500 {
                let results = try await send(10)
                #expect(results.allSatisfy { $0.isAccepted })
                recovery += 10
            }
            #expect(gateway.shares["stub-b"] == 0.5)
            let tail = try await send(40)
            #expect(tail.filter { $0.provider == "stub-b" }.count > 8, "stub-b takes its share again")
            #expect(try await b.count("accepted") > acceptedAtBBefore)

            // Every contact became exactly one message, at one stub or the other.
            let total = try await a.count("accepted") + b.count("accepted")
            #expect(total == sent)
            #expect(try await a.count("duplicates") + b.count("duplicates") == 0)
        }
    }
}
