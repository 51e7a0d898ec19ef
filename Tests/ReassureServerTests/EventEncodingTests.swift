import Foundation
import ReassureCore
import NIOCore
import Testing

@testable import ReassureServer

/// The published form of an event is the contract the workers (and any other consumer) read:
/// the fast encoder must write exactly what JSONEncoder wrote.
@Suite struct EventEncodingTests {
    /// What the producer used before: Foundation's encoder and ISO 8601 format style.
    static func foundationRFC3339(_ date: Date) -> String {
        let fractional = date.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) != 0
        return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: fractional).timeZone(separator: .omitted))
    }

    static let foundationEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(foundationRFC3339(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    @Test func everySampleIsPublishedByteForByteAsJSONEncoderWroteIt() throws {
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/samples/all.jsonl")
        let lines = try String(contentsOf: samples, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 8)
        for line in lines {
            guard case .success(var event) = CaseEventIntake.process(document: try JSONValue.parse(Data(line.utf8))).outcome else { continue }
            event.caseInfo.reference = "CAS \"1/2\"\\ \u{1}\n ñ"
            let fast = EventEncoding.body(event)
            let reference = Array(try Self.foundationEncoder.encode(event))
            #expect(fast == reference, "\(String(decoding: fast, as: UTF8.self))\n\(String(decoding: reference, as: UTF8.self))")
        }
    }

    @Test func timesAreWrittenAsBeforeAndMillisecondsSurviveARoundTrip() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let whole = Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_102_444_800, using: &generator)))
            #expect(RFC3339.format(whole) == Self.foundationRFC3339(whole))
            // Milliseconds as an integrator writes them come back unchanged (the old formatter
            // truncated 0.04299… to .042).
            let text = String(RFC3339.format(whole).dropLast()) + String(format: ".%03dZ", Int.random(in: 1...999, using: &generator))
            #expect(RFC3339.format(FieldFormats.rfc3339(text)!) == text)
        }
    }
}

/// The 202 body of `POST /v1/events` is written by hand; integrators' parsers saw JSONEncoder's.
@Suite struct AcceptedBodyTests {
    @Test(arguments: [
        EventIngest.Accepted(accepted: [], duplicates: [], warnings: []),
        EventIngest.Accepted(accepted: ["evt-1", "evt-2"], duplicates: ["evt-3"], warnings: []),
        EventIngest.Accepted(accepted: ["a\"quote", "slash/ü"], duplicates: [],
                             warnings: [ScrubWarning(path: "events[0].victim.religion"), ScrubWarning(path: "officer.note")]),
    ])
    func theBodyIsByteForByteWhatJSONEncoderWrote(_ answer: EventIngest.Accepted) throws {
        let expected = try JSONBody.encoder.encode(answer)
        #expect(answer.jsonBytes == Array(expected), "\(String(decoding: answer.jsonBytes, as: UTF8.self))")
    }
}

/// `bench ingest` posts bodies laid out from a template; they must be the events it describes.
@Suite struct BenchmarkBodyTests {
    @Test func aTemplatedBatchIsTheEventsJoined() throws {
        let ids = ["bench-1a2b-0", "bench-1a2b-1", "bench-1a2b-99999"]
        let expected = "{\"events\":[" + ids.map(IngestBenchmark.event(id:)).joined(separator: ",") + "]}"
        let body = EventTemplate().batch(ids)
        #expect(String(buffer: body) == expected)
        let parsed = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? [String: Any]
        #expect((parsed?["events"] as? [Any])?.count == 3)
    }
}

/// The ratio of `bench ingest` is only fair if its plain publishes are the relay's own messages.
@Suite struct BenchmarkYardstickTests {
    @Test func thePlainPublishSendsTheRelaysMessageOverItsOwnRoute() throws {
        let body = try IngestBenchmark.publishedBody(IngestBenchmark.event(id: "bench-1a2b-sample"))
        let document = try JSONValue.parse(Data(IngestBenchmark.event(id: "bench-1a2b-sample").utf8))
        guard case .success(let event) = CaseEventIntake.process(document: document).outcome else {
            Issue.record("the benchmark's sample event is refused")
            return
        }
        #expect(body == EventEncoding.body(event))
        let relayed = EventEncoding.message(eventID: "b-7", routingKey: "case.reported", body: body)

        let topic = IngestBenchmark.plainMessage(number: 7, body: body, route: .topic, exchange: "bench.x", queue: "bench.q")
        #expect(topic.exchange == "bench.x")
        #expect(topic.routingKey == relayed.routingKey)
        #expect(topic.properties == relayed.properties)
        #expect(topic.body == relayed.body)
        #expect(topic.mandatory == relayed.mandatory)

        let direct = IngestBenchmark.plainMessage(number: 7, body: body, route: .defaultExchange, exchange: "bench.x", queue: "bench.q")
        #expect(direct.exchange == "")
        #expect(direct.routingKey == "bench.q")
        #expect(direct.properties == relayed.properties)
        #expect(direct.body == relayed.body)
    }
}
