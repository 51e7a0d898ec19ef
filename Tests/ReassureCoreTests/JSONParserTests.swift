import Foundation
import Testing

@testable import ReassureCore

/// The hand-written parser must read exactly what JSONDecoder reads, and refuse what it refuses.
@Suite struct JSONParserTests {
    /// The reference: JSONDecoder into the same enum (what intake used before).
    func reference(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    func parsed(_ text: String) -> JSONValue? {
        try? JSONValue.parse(Data(text.utf8))
    }

    @Test(arguments: [
        #"{}"#, #"[]"#, #"  {"a": [1, -2.5, 3e2, 0, -0.0, 1E-3], "b": {"c": null, "d": true, "e": false}}  "#,
        #"{"text": "caf\u00e9 \ud83d\ude00 \" \\ \/ \b \f \n \r \t", "raw": "Nomvuyiswa ñ 😀 ابراهيم"}"#,
        #"{"dup": 1, "dup": 2}"#, #"[[[[[]]]]]"#, #""just a string""#, #"12"#, #"null"#,
    ])
    func validDocumentsReadAsJSONDecoderReadsThem(_ text: String) throws {
        #expect(parsed(text) != nil)
        #expect(parsed(text) == reference(text))
    }

    @Test(arguments: [
        "", "{", "}", #"{"a" 1}"#, #"{"a": 1,}"#, "[1, 2,]", "[1 2]", #"{"a": 01}"#, #"{"a": 1.}"#, #"{"a": .5}"#, #"{"a": -}"#,
        #"{"a": tru}"#, #"{"a": "unterminated}"#, "{\"a\": \"tab\there\"}", #"{"a": "\x"}"#, #"{"a": "\ud800"}"#, #"{"a": "\udc00x"}"#,
        #"{"a": "\u12"}"#, "{} {}", #"{"a": 1e999}"#, #"{a: 1}"#, "[NaN]",
    ])
    func malformedDocumentsAreRefused(_ text: String) {
        #expect(parsed(text) == nil, "accepted: \(text)")
    }

    @Test func invalidUTF8IsRefused() {
        #expect((try? JSONValue.parse(Data([0x22, 0xC3, 0x28, 0x22]))) == nil)
        #expect((try? JSONValue.parse(Data([0x22, 0xE2, 0x82, 0xAC, 0x22]))) == .string("€"))
        // Invalid after an escape, and a lone continuation byte among ASCII.
        #expect((try? JSONValue.parse(Data([0x22, 0x5C, 0x6E, 0xFF, 0x22]))) == nil)
        #expect((try? JSONValue.parse(Data([0x22, 0x61, 0x80, 0x62, 0x22]))) == nil)
        #expect((try? JSONValue.parse(Data([0x22, 0x5C, 0x6E, 0x61, 0x22]))) == .string("\na"))
    }

    @Test func nestingDeeperThanTheLimitIsRefusedWithoutExhaustingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parsed(deep) == nil)
        let allowed = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(parsed(allowed) != nil)
    }

    @Test func everySampleEventDecodesAsBeforeStraightFromTheParsedDocument() throws {
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/samples/all.jsonl")
        let lines = try String(contentsOf: samples, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 8)
        for line in lines {
            let document = try JSONValue.parse(Data(line.utf8))
            let viaBytes = try? CaseEventIntake.decoder.decode(CaseEvent.self, from: try JSONEncoder().encode(document))
            let direct = try? JSONValueDecoder().decode(CaseEvent.self, from: document)
            #expect(direct != nil)
            #expect(direct == viaBytes)
        }
    }

    @Test func aTypeMismatchNamesItsPath() {
        let document: JSONValue = .object(["id": .string("e"), "type": .string("case.reported"), "occurred_at": .number(3),
                                           "case": .object(["reference": .string("r"), "unit": .string("u")])])
        #expect {
            _ = try JSONValueDecoder().decode(CaseEvent.self, from: document)
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["occurred_at"]
        }
    }
}
