import Foundation
import ReassureStore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The whole system as separate processes, as deployed: `reassure gateway-stub` as the SMS
/// provider over HTTP, `reassure serve` receiving its signed receipts and replies, and a
/// `reassure worker` sending through the HTTP gateway client.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SystemTests {
    @Test func receiptsFromARunningProviderReachTheStoreAndAStopReplyCancelsTheRestOfThePlan() async throws {
        let servePort = Int.random(in: 20_000...29_999), stubPort = Int.random(in: 30_000...39_999)
        let secret = "system-test-secret"
        let harness = try await WorkerHarness.make([
            "REASSURE_HTTP_ADDR": "127.0.0.1:\(servePort)", "REASSURE_GATEWAY_WEBHOOK_SECRET": secret,
            "REASSURE_GATEWAY_SMS": "http", "REASSURE_GATEWAY_SMS_URL": "provider-a=http://127.0.0.1:\(stubPort)",
            "REASSURE_GATEWAY_API_KEY": "provider-key", "REASSURE_LOG_LEVEL": "warning",
        ])
        let token = try await harness.store.createToken(name: "system-test", role: "integrator")
        let processes = WorkerProcesses(environment: harness.environment, logDirectory: harness.directory)
        defer { processes.killAll() }
        try processes.launch([
            "gateway-stub", "--addr", "127.0.0.1:\(stubPort)", "--name", "provider-a", "--api-key", "provider-key",
            "--receipts-url", "http://127.0.0.1:\(servePort)/v1/gateway/receipts",
            "--inbound-url", "http://127.0.0.1:\(servePort)/v1/gateway/inbound", "--webhook-secret", secret, "--receipt-delay-ms", "50",
        ])
        try processes.launch(["serve"])
        try processes.launch(["worker"])
        try await eventually("serve is ready") { (try? await http("GET", "http://127.0.0.1:\(servePort)/ready"))?.status == 200 }

        let event = reportedEvent(reference: "CAS 401/11/2026", languages: ["zu", "en"], phone: "+27825550401")
        let posted = try await http("POST", "http://127.0.0.1:\(servePort)/v1/events", token: token, body: try JSONSerialization.data(withJSONObject: event))
        #expect(posted.status == 202)
        var caseID: UUID?
        try await eventually("the case is stored") {
            caseID = try await harness.store.caseID(unit: "pretoria-central-vsu", reference: "CAS 401/11/2026")
            return caseID != nil
        }
        try await eventually("the provider's signed receipt marked the acknowledgement delivered") {
            try await harness.store.contactHistory(caseID: caseID!).first?.state == .delivered
        }
        let stop = try await http("POST", "http://127.0.0.1:\(stubPort)/simulate/inbound", token: "provider-key",
                                  body: Data(#"{"from": "+27825550401", "text": "YEKA", "channel": "sms"}"#.utf8))
        #expect(stop.status == 202)
        try await eventually("the STOP reply cancelled the rest of the plan and the confirmation was delivered") {
            let history = try await harness.store.contactHistory(caseID: caseID!)
            return history.filter { $0.stage == "check_in" }.allSatisfy { $0.state == .cancelled }
                && history.contains { $0.stage == "opt_out_confirmation" && $0.state == .delivered }
        }
        let history = try await harness.store.contactHistory(caseID: caseID!)
        #expect(history.filter { $0.stage == "check_in" }.count == 2)
        #expect(history.allSatisfy { $0.language == "zu" })
        await processes.stopAll()
        try await harness.close()
    }

    struct Answer { var status: Int; var body: Data }

    func http(_ method: String, _ url: String, token: String? = nil, body: Data? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }
}
