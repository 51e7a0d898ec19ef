import AsyncHTTPClient
import Foundation
import ReassureCore
import ReassureGateways
import ReassureGatewayStub
import Testing

/// The HTTP client against a running `reassure gateway-stub`: every answer class becomes the
/// right `SendResult`, and the same idempotency key twice is one message.
@Suite(.timeLimit(.minutes(1))) struct HTTPGatewayStubTests {
    static let blocked = "+27820000001", optedOut = "+27820000002"

    func stubConfiguration(sentLog: String? = nil) -> GatewayStubConfiguration {
        GatewayStubConfiguration(name: "stub-a", apiKey: "key-a", sentLogPath: sentLog, revealAddresses: false,
                                 blocked: [Self.blocked], optedOut: [Self.optedOut])
    }

    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sent-\(UUID().uuidString).jsonl").path
    }

    @Test func theSameIdempotencyKeyTwiceIsOneMessage() async throws {
        let log = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: log) }
        try await withGatewayStubs([stubConfiguration(sentLog: log)]) { urls in
            let gateway = HTTPGateway(name: "stub-a", channel: .sms, baseURL: urls[0], apiKey: "key-a")
            let first = await gateway.send(message("contact-1#1"))
            let second = await gateway.send(message("contact-1#1"))
            guard case .accepted(_, let id) = first else { Issue.record("not accepted: \(first)"); return }
            #expect(second == first, "the second send answers the first message's id")

            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 1)
            let entry = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any] ?? [:]
            #expect(entry["idempotency_key"] as? String == "contact-1#1")
            #expect(entry["provider_message_id"] as? String == id)
            #expect(entry["provider"] as? String == "stub-a")
            #expect(entry["to"] as? String == "+2782*****67", "addresses are masked unless revealed")
            #expect(entry["segments"] as? Int == 1)
            #expect(entry["body"] as? String == "Hello")

            let control = StubControl(baseURL: urls[0], apiKey: "key-a")
            #expect(try await control.count("accepted") == 1)
            #expect(try await control.count("duplicates") == 1)
        }
    }

    @Test func everyRefusalMapsToItsPermanentFailure() async throws {
        try await withGatewayStubs([stubConfiguration()]) { urls in
            let gateway = HTTPGateway(name: "stub-a", channel: .sms, baseURL: urls[0], apiKey: "key-a")
            #expect(await gateway.send(message("m1", to: "0821234567")) == .permanentFailure(provider: "stub-a", reason: .invalidAddress))
            #expect(await gateway.send(message("m2", to: Self.blocked)) == .permanentFailure(provider: "stub-a", reason: .blocked))
            #expect(await gateway.send(message("m3", to: Self.optedOut)) == .permanentFailure(provider: "stub-a", reason: .optedOutAtProvider))

            let email = HTTPGateway(name: "stub-a", channel: .email, baseURL: urls[0], apiKey: "key-a")
            let bad = GatewayMessage(idempotencyKey: "m4", channel: .email, to: "no-at-sign", sender: "vsu@example.org",
                                     language: "en", body: "Hello", subject: "Hello", segments: 0)
            #expect(await email.send(bad) == .permanentFailure(provider: "stub-a", reason: .invalidAddress))
            var good = bad
            good.to = "amina@example.org"
            #expect(await email.send(good).isAccepted)

            let wrongKey = HTTPGateway(name: "stub-a", channel: .sms, baseURL: urls[0], apiKey: "wrong")
            #expect(await wrongKey.send(message("m5")) == .permanentFailure(provider: "stub-a", reason: .rejected))

            let control = StubControl(baseURL: urls[0], apiKey: "key-a")
            try await control.faults(#"{"permanent_rate":1}"#)
            #expect(await gateway.send(message("m6")) == .permanentFailure(provider: "stub-a", reason: .rejected))
            #expect(try await control.count("unauthorized") == 1)
        }
    }

    @Test func aRecipientOverTheLimitIsToldToWait() async throws {
        var configuration = stubConfiguration()
        configuration.faults.rateLimitPerMinute = 2
        try await withGatewayStubs([configuration]) { urls in
            let gateway = HTTPGateway(name: "stub-a", channel: .sms, baseURL: urls[0], apiKey: "key-a")
            #expect(await gateway.send(message("r1")).isAccepted)
            #expect(await gateway.send(message("r2")).isAccepted)
            guard case .rateLimited(_, let wait) = await gateway.send(message("r3")) else { Issue.record("expected 429"); return }
            #expect(wait > .zero && wait <= .seconds(60))
            #expect(await gateway.send(message("r4", to: "+27829999999")).isAccepted, "the limit is per recipient")
        }
    }

    @Test func outagesTimeoutsAndUnreachableProvidersAreTransient() async throws {
        try await withGatewayStubs([stubConfiguration()]) { urls in
            let gateway = HTTPGateway(name: "stub-a", channel: .sms, baseURL: urls[0], apiKey: "key-a", timeout: .milliseconds(300))
            let control = StubControl(baseURL: urls[0], apiKey: "key-a")
            try await control.faults(#"{"transient_rate":1}"#)
            guard case .transientFailure(_, let reason) = await gateway.send(message("t1")) else { Issue.record("expected transient"); return }
            #expect(reason.hasPrefix("HTTP 50"))
            #expect(try await control.count("transient_failures") == 1)

            try await control.faults(#"{"transient_rate":0,"latency_ms":1000}"#)
            guard case .transientFailure(_, let slow) = await gateway.send(message("t2")) else { Issue.record("expected a timeout"); return }
            #expect(slow.hasPrefix("timeout"))

            try await control.faults(#"{"latency_ms":0}"#)
            #expect(await gateway.send(message("t1")).isAccepted, "the same key succeeds once the outage is over")
        }
        let nobody = HTTPGateway(name: "gone", channel: .sms, baseURL: "http://127.0.0.1:1", apiKey: "k", timeout: .seconds(2))
        guard case .transientFailure = await nobody.send(message("t3")) else { Issue.record("expected transient"); return }
    }

    @Test func controlRefusesImpossibleSettings() async throws {
        try await withGatewayStubs([stubConfiguration()]) { urls in
            let control = StubControl(baseURL: urls[0], apiKey: "key-a")
            await #expect(throws: HarnessError.self) { try await control.faults(#"{"transient_rate":2}"#) }
            await #expect(throws: HarnessError.self) { try await control.faults("not json") }
        }
    }
}
