import AMQP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ReassureCore
import ReassureServer
import ReassureStore
import Testing

@Suite struct IngestTests {
    @Test func acceptedEventsReachTheBrokerOnceWithTheirIdTypeAndScrubbedBody() async throws {
        let fixture = try await ServerFixture.make()
        let (tap, queue) = try await fixture.tap()
        let token = try await fixture.token("integrator")
        let ids = (0..<3).map { _ in uniqueID("accept") }
        var events = ids.map { reportedEvent(id: $0) }
        events[1]["type"] = "case.closed"
        events[1]["outcome"] = ["code": "charged"]
        events[1]["victim"] = nil
        var victim = events[2]["victim"] as! [String: Any]
        victim["immigration_status"] = "FORBIDDEN-VALUE-7731"
        events[2]["victim"] = victim
        events[2]["nationality"] = "FORBIDDEN-VALUE-7732"
        let batchBody = try json(["events": events])
        let firstAlone = try json(events[0])

        try await fixture.app.test(.router) { client in
            let first = try await client.execute(uri: "/v1/events", method: .post, headers: bearer(token), body: batchBody)
            #expect(first.status == .accepted)
            #expect(first.object["accepted"] as? [String] == ids)
            #expect(first.object["duplicates"] as? [String] == [])
            let warnings = (first.object["warnings"] as? [[String: String]] ?? []).compactMap { $0["path"] }
            #expect(Set(warnings) == ["events[2].victim.immigration_status", "events[2].nationality"])

            // The same ids again, one alone and one in a batch: duplicates, nothing new published.
            let again = try await client.execute(uri: "/v1/events", method: .post, headers: bearer(token), body: firstAlone)
            #expect(again.status == .accepted)
            #expect(again.object["accepted"] as? [String] == [])
            #expect(again.object["duplicates"] as? [String] == [ids[0]])

            try await eventually("the outbox is empty") { try await fixture.store.outboxDepth().count == 0 }
        }
        // The tap may also see other tests' events in this vhost: keep this test's.
        let deliveries = try await drain(tap, queue: queue) { received in
            received.filter { ids.contains($0.properties.messageId ?? "") }.count >= 3
        }.filter { ids.contains($0.properties.messageId ?? "") }
        #expect(deliveries.map { $0.properties.messageId ?? "" }.sorted() == ids.sorted(), "each event once; the duplicate was not republished")
        let byID = Dictionary(uniqueKeysWithValues: deliveries.map { ($0.properties.messageId ?? "", $0) })
        #expect(byID[ids[0]]?.routingKey == "case.reported")
        #expect(byID[ids[1]]?.routingKey == "case.closed")
        #expect(deliveries.allSatisfy { $0.exchange == ReassureTopology.eventsExchange && $0.properties.persistent })
        #expect(deliveries.allSatisfy { $0.properties.contentType == "application/json" })
        // The body is the single event, scrubbed, and reads back through the same intake.
        let scrubbed = try #require(byID[ids[2]])
        let result = try #require(try CaseEventIntake.process(body: Data(scrubbed.body)).first)
        #expect(try result.outcome.get().id == ids[2])
        #expect(result.warnings.isEmpty, "no forbidden field left in the published event")

        // Forbidden values appear nowhere: not in the store file, the broker's messages, or the logs.
        for secret in ["FORBIDDEN-VALUE-7731", "FORBIDDEN-VALUE-7732"] {
            #expect(fixture.storeBytes().range(of: Data(secret.utf8)) == nil)
            #expect(deliveries.allSatisfy { Data($0.body).range(of: Data(secret.utf8)) == nil })
            #expect(!fixture.logs.text.contains(secret))
        }
        // Nor personal data in the logs.
        for personal in ["+27821234567", "amina@example.org", "Amina", token] {
            #expect(!fixture.logs.text.contains(personal))
        }
        try await tap.delete(queue: queue)
        await tap.close()
        await fixture.close()
    }

    /// Each bad input class: its status, a precise body, and nothing stored or published.
    @Test func badInputGetsItsDocumentedStatusAndChangesNothing() async throws {
        let fixture = try await ServerFixture.make()
        let (tap, queue) = try await fixture.tap()
        let integrator = try await fixture.token("integrator")
        let operatorToken = try await fixture.token("operator")
        let before = try await fixture.store.outboxDepth().count

        func event(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
            var event = reportedEvent(id: uniqueID("bad"))
            change(&event)
            return event
        }
        func victim(_ change: @escaping (inout [String: Any]) -> Void) -> [String: Any] {
            event { event in
                var victim = event["victim"] as! [String: Any]
                change(&victim)
                event["victim"] = victim
            }
        }
        let tooManyEvents = (0...500).map { _ in reportedEvent(id: uniqueID("many")) }
        let hugeEvent = event { $0["padding"] = String(repeating: "x", count: (1 << 20) + 10) }

        struct Case {
            var name: String
            var body: ByteBuffer
            var headers: HTTPFields
            var status: HTTPResponse.Status
            var error: String
            var problems: [(String, String)] = []
        }
        let cases: [Case] = [
            Case(name: "malformed JSON", body: ByteBuffer(string: "{\"id\": "), headers: bearer(integrator), status: .badRequest,
                 error: "the body is not valid JSON"),
            Case(name: "wrong types", body: try json(event { $0["id"] = 17; $0["case"] = "CAS 1" }), headers: bearer(integrator),
                 status: .unprocessableContent, error: "1 of 1 events are invalid", problems: [("id", "must be a string, not number"), ("case", "must be an object, not string")]),
            Case(name: "unknown type", body: try json(event { $0["type"] = "case.exploded" }), headers: bearer(integrator),
                 status: .unprocessableContent, error: "1 of 1 events are invalid", problems: [("type", "unknown event type 'case.exploded'")]),
            Case(name: "too many events", body: try json(["events": tooManyEvents]), headers: bearer(integrator), status: .contentTooLarge,
                 error: "a batch holds at most 500 events; this one has 501"),
            Case(name: "too many bytes", body: try json(hugeEvent), headers: bearer(integrator), status: .contentTooLarge,
                 error: "the body is larger than 1048576 bytes"),
            Case(name: "invalid phone", body: try json(victim { $0["contact"] = ["sms": "0821234567"] }), headers: bearer(integrator),
                 status: .unprocessableContent, error: "1 of 1 events are invalid", problems: [("victim.contact.sms", "E.164")]),
            Case(name: "invalid language tag", body: try json(victim { $0["languages"] = ["so", "english!"] }), headers: bearer(integrator),
                 status: .unprocessableContent, error: "1 of 1 events are invalid", problems: [("victim.languages[1]", "BCP 47")]),
            Case(name: "invalid timezone", body: try json(victim { $0["timezone"] = "Mars/Olympus" }), headers: bearer(integrator),
                 status: .unprocessableContent, error: "1 of 1 events are invalid", problems: [("victim.timezone", "IANA")]),
            Case(name: "invalid time", body: try json(event { $0["occurred_at"] = "20/11/2026 09:30" }), headers: bearer(integrator),
                 status: .unprocessableContent, error: "1 of 1 events are invalid", problems: [("occurred_at", "RFC 3339")]),
            Case(name: "one bad event spoils the batch", body: try json(["events": [reportedEvent(id: uniqueID("ok")), event { $0["type"] = 1 }]]),
                 headers: bearer(integrator), status: .unprocessableContent, error: "1 of 2 events are invalid; nothing was accepted",
                 problems: [("events[1].type", "must be a string, not number")]),
            Case(name: "missing token", body: try json(reportedEvent(id: uniqueID("anon"))), headers: [.contentType: "application/json"],
                 status: .unauthorized, error: "missing bearer token"),
            Case(name: "wrong token", body: try json(reportedEvent(id: uniqueID("forged"))), headers: bearer("rsr_not-a-real-token"),
                 status: .unauthorized, error: "the token is not valid or was revoked"),
            Case(name: "wrong role", body: try json(reportedEvent(id: uniqueID("role"))), headers: bearer(operatorToken), status: .forbidden,
                 error: "this route needs the role integrator (or admin); the token has the role operator"),
        ]
        try await fixture.app.test(.router) { client in
            for item in cases {
                let response = try await client.execute(uri: "/v1/events", method: .post, headers: item.headers, body: item.body)
                #expect(response.status == item.status, "\(item.name): \(response.text)")
                let error = response.object["error"] as? String ?? ""
                #expect(error.contains(item.error), "\(item.name): \(error)")
                for (path, problem) in item.problems {
                    #expect(response.problems.contains { $0.path == path && $0.problem.contains(problem) }, "\(item.name): \(response.problems)")
                }
                #expect(response.headers[.contentType] == "application/json", "\(item.name)")
            }
            let revoked = try await fixture.token("integrator", name: "soon-revoked")
            _ = try await fixture.store.revokeToken(name: "soon-revoked")
            let afterRevoke = try await client.execute(uri: "/v1/events", method: .post, headers: bearer(revoked),
                                                       body: try json(reportedEvent(id: uniqueID("revoked"))))
            #expect(afterRevoke.status == .unauthorized)
        }
        #expect(try await fixture.store.outboxDepth().count == before, "no rejected event reached the outbox")
        #expect(try await fixture.store.pendingOutbox(limit: 10).isEmpty)
        // The tap also sees events other tests in this vhost publish: look for this test's ids.
        let waiting = try await tap.inspect(queue: queue).messages
        let seen = try await drain(tap, queue: queue) { $0.count >= waiting }.compactMap { $0.properties.messageId }
        #expect(!seen.contains { $0.hasPrefix("bad-") || $0.hasPrefix("many-") || $0.hasPrefix("ok-") || $0.hasPrefix("anon-")
                                   || $0.hasPrefix("forged-") || $0.hasPrefix("role-") || $0.hasPrefix("revoked-") },
                "no rejected event reached the broker")
        try await tap.delete(queue: queue)
        await tap.close()
        await fixture.close()
    }

    @Test func theAPIKeepsAcceptingWhileTheBrokerIsUnreachableAndReadySaysSo() async throws {
        // Nothing listens on port 1: the broker is "down" for this service.
        let fixture = try await ServerFixture.make(amqpURL: "amqp://guest:guest@127.0.0.1:1/%2f")
        let token = try await fixture.token("integrator")
        try await fixture.app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/events", method: .post, headers: bearer(token),
                                                    body: try json(reportedEvent(id: uniqueID("down"))))
            #expect(response.status == .accepted)
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.object["broker"] as? String == "unreachable")
            #expect(ready.object["store"] as? String == "ok")
        }
        #expect(try await fixture.store.outboxDepth().count == 1, "the event waits in the outbox")
        await fixture.close()
    }

    @Test func readyAnswers200WhenStoreAndBrokerAreReachable() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.app.test(.router) { client in
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok, "\(ready.text)")
        }
        await fixture.close()
    }

    @Test func aTokenOverItsRateLimitGets429WithRetryAfter() async throws {
        let fixture = try await ServerFixture.make { $0.rateLimitPerMinute = 3 }
        let token = try await fixture.token("operator")
        try await fixture.app.test(.router) { client in
            for _ in 0..<3 {
                #expect(try await client.execute(uri: "/v1/tasks", method: .get, headers: bearer(token)).status == .ok)
            }
            let limited = try await client.execute(uri: "/v1/tasks", method: .get, headers: bearer(token))
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect((limited.object["error"] as? String ?? "").contains("rate limit"))
        }
        await fixture.close()
    }

    @Test func metricsCountRequestsEventsAndTheOutbox() async throws {
        let fixture = try await ServerFixture.make(amqpURL: "amqp://guest:guest@127.0.0.1:1/%2f")
        let token = try await fixture.token("integrator")
        try await fixture.app.test(.router) { client in
            _ = try await client.execute(uri: "/v1/events", method: .post, headers: bearer(token), body: try json(reportedEvent(id: uniqueID("m"))))
            _ = try await client.execute(uri: "/v1/events", method: .post, headers: bearer(token), body: try json(["type": "nope"]))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = metrics.text
            #expect(text.contains(#"reassure_http_requests_total{route="/v1/events",status="202"} 1"#), "\(text)")
            #expect(text.contains(#"reassure_http_requests_total{route="/v1/events",status="422"} 1"#))
            #expect(text.contains(#"reassure_events_total{result="accepted"} 1"#))
            #expect(text.contains(#"reassure_events_total{result="rejected"} 1"#))
            #expect(text.contains("reassure_outbox_depth 1"))
            #expect(text.contains("reassure_outbox_oldest_age_seconds"))
        }
        await fixture.close()
    }
}
