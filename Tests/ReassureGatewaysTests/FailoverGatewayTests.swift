import ReassureCore
import ReassureGateways
import Synchronization
import Testing

/// A gateway that answers what the test tells it and remembers the keys it saw.
final class ScriptedGateway: Gateway {
    let name: String
    let channel: Channel = .sms
    private let state: Mutex<(answer: Answer, keys: [String])>
    enum Answer { case accept, transient, permanent, rateLimited }

    init(_ name: String, _ answer: Answer = .accept) {
        self.name = name
        state = Mutex((answer, []))
    }

    func answer(_ answer: Answer) { state.withLock { $0.answer = answer } }
    var keys: [String] { state.withLock { $0.keys } }

    func send(_ message: GatewayMessage) async -> SendResult {
        let answer = state.withLock { state in
            state.keys.append(message.idempotencyKey)
            return state.answer
        }
        switch answer {
        case .accept: return .accepted(provider: name, providerMessageID: "\(name)-\(message.idempotencyKey)")
        case .transient: return .transientFailure(provider: name, reason: "HTTP 503")
        case .permanent: return .permanentFailure(provider: name, reason: .blocked)
        case .rateLimited: return .rateLimited(provider: name, retryAfter: .seconds(3))
        }
    }
}

func message(_ key: String, to: String = "+27821234567") -> GatewayMessage {
    GatewayMessage(idempotencyKey: key, channel: .sms, to: to, sender: "VSU", language: "en", body: "Hello", segments: 1)
}

@Suite struct FailoverGatewayTests {
    @Test func aTransientFailureIsRetriedOnceAtTheOtherProviderWithTheSameKey() async {
        let a = ScriptedGateway("a", .transient), b = ScriptedGateway("b")
        let gateway = FailoverGateway(channel: .sms, providers: [(a, 1), (b, 1)], seed: 7)
        for index in 0..<20 {
            let result = await gateway.send(message("k\(index)"))
            #expect(result == .accepted(provider: "b", providerMessageID: "b-k\(index)"))
        }
        #expect(Set(a.keys).isSubset(of: Set(b.keys)), "every key that failed at a was sent again at b")
        #expect(b.keys.count == 20)
    }

    @Test func permanentFailuresAndRateLimitsAreNotRetriedElsewhere() async {
        let a = ScriptedGateway("a", .permanent), b = ScriptedGateway("b", .permanent)
        let gateway = FailoverGateway(channel: .sms, providers: [(a, 1), (b, 1)], seed: 1)
        #expect(await gateway.send(message("k")).isAccepted == false)
        #expect(a.keys.count + b.keys.count == 1)
        a.answer(.rateLimited)
        b.answer(.rateLimited)
        guard case .rateLimited = await gateway.send(message("k2")) else { Issue.record("expected rate limited"); return }
        #expect(a.keys.count + b.keys.count == 2)
    }

    @Test func whenEveryProviderFailsTheCallerGetsATransientFailure() async {
        let gateway = FailoverGateway(channel: .sms, providers: [(ScriptedGateway("a", .transient), 1), (ScriptedGateway("b", .transient), 1)])
        guard case .transientFailure = await gateway.send(message("k")) else { Issue.record("expected transient"); return }
    }

    @Test func trafficLeavesAFailingProviderAndComesBack() async {
        let a = ScriptedGateway("a"), b = ScriptedGateway("b")
        let gateway = FailoverGateway(channel: .sms, providers: [(a, 1), (b, 1)], seed: 3)
        for index in 0..<40 { _ = await gateway.send(message("warm\(index)")) }
        #expect(abs((gateway.shares["a"] ?? 0) - 0.5) < 0.01)

        b.answer(.transient)
        for index in 0..<60 { #expect(await gateway.send(message("outage\(index)")).isAccepted) }
        #expect((gateway.shares["b"] ?? 1) < 0.06)
        let firstTriesAtB = b.keys.filter { $0.hasPrefix("outage") }.count
        #expect(firstTriesAtB < 20, "after it is demoted, b gets probes only")

        b.answer(.accept)
        var sent = 0
        while (gateway.shares["b"] ?? 0) < 0.5 && sent < 2000 {
            _ = await gateway.send(message("after\(sent)"))
            sent += 1
        }
        #expect(gateway.shares["b"] == 0.5)
        #expect(gateway.health["b"]?.state == .healthy)
    }
}
