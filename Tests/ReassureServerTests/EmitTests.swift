import AsyncHTTPClient
import Foundation
import HummingbirdTesting
import ReassureCore
import ReassureServer
import Testing

@Suite struct EmitTests {
    func line(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func emitSendsAFileReportsRejectedLinesAndResumesAfterTheLastAcknowledgedLine() async throws {
        let fixture = try await ServerFixture.make(amqpURL: "amqp://guest:guest@127.0.0.1:1/%2f")
        let token = try await fixture.token("integrator")
        let ids = (0..<5).map { _ in uniqueID("emit") }
        var bad = reportedEvent(id: uniqueID("emit-bad"))
        bad["occurred_at"] = "yesterday"
        let lines = [try line(reportedEvent(id: ids[0])), try line(reportedEvent(id: ids[1])), "{not json", try line(bad),
                     try line(reportedEvent(id: ids[2])), "", try line(reportedEvent(id: ids[3])), try line(reportedEvent(id: ids[0]))]
        let data = Data(lines.joined(separator: "\n").utf8)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let state = directory.appendingPathComponent("events.jsonl.emit-state")

        try await fixture.app.test(.live) { client in
            let port = try #require(client.port)
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let emit = EmitClient(options: .init(baseURL: "http://127.0.0.1:\(port)", token: token, batchSize: 2, stateFile: state), client: http)
            // An earlier run was interrupted after line 2 was acknowledged: lines 1–2 are not sent again.
            _ = try await fixture.store.acceptEvents([(ids[0], "case.reported", Array(lines[0].utf8)), (ids[1], "case.reported", Array(lines[1].utf8))])
            try JSONSerialization.data(withJSONObject: ["inputBytes": data.count, "lastLine": 2]).write(to: state)
            let summary = try await emit.run(EmitSource.jsonLines(data), inputBytes: data.count)
            try await http.shutdown()
            #expect(summary.resumedAfterLine == 2)
            #expect(summary.accepted == 2, "lines 5 and 7")
            #expect(summary.duplicates == 1, "line 8 repeats line 1's id")
            #expect(summary.rejected.map(\.line) == [3, 4])
            #expect(summary.rejected.last?.reasons.first?.hasPrefix("occurred_at: must be an RFC 3339") == true)
            #expect(!FileManager.default.fileExists(atPath: state.path), "a complete run forgets its position")
        }
        let stored = try await fixture.store.pendingOutbox(limit: 10).map(\.eventID)
        #expect(Set(stored) == [ids[0], ids[1], ids[2], ids[3]])
        await fixture.close()
    }

    @Test func aCSVMappingBuildsEventsFromColumns() throws {
        let mapping = try CSVMapping.load(yaml: """
            columns: {id: rms_id, occurred_at: reported, case.reference: ref, victim.languages: langs, victim.ref: victim}
            constants: {type: case.closed, case.unit: unit-a, outcome.code: withdrawn}
            lists: [victim.languages]
            """)
        let csv = "rms_id,reported,ref,langs,victim\nr-1,2026-11-20T09:30:00Z,\"CAS 1/11/2026, east\",so;en,V-1\n\n"
        let records = try EmitSource.csv(Data(csv.utf8), mapping: mapping)
        #expect(records.count == 1)
        #expect(records.first?.line == 2)
        let document = try #require(try records.first?.document.get())
        #expect(document["case"]?["reference"]?.string == "CAS 1/11/2026, east")
        #expect(document["victim"]?["languages"] == .array([.string("so"), .string("en")]))
        let event = try CaseEventIntake.process(document: document).outcome.get()
        #expect(event.type == .caseClosed && event.outcome?.code == "withdrawn")
    }
}
