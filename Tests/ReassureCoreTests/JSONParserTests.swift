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

    /// Objects of an event's size are searched by name; large ones (a hostile body) through an
    /// index. Both must read alike: the first of a repeated name, members in document order.
    @Test(arguments: [3, JSONObject.indexedFrom - 1, JSONObject.indexedFrom, 2_000])
    func objectsOfAnySizeKeepTheFirstOfARepeatedNameAndTheirOrder(_ size: Int) throws {
        let members = (0..<size).map { #""k\#($0)": \#($0)"# } + [#""k0": "again""#, #""k\#(size - 1)": "again""#]
        let text = "{" + members.joined(separator: ", ") + "}"
        let object = try #require(parsed(text)?.object)
        #expect(object.count == size)
        #expect(Array(object.keys) == (0..<size).map { "k\($0)" })
        #expect(object["k0"] == .number(0))
        #expect(object["k\(size - 1)"] == .number(Double(size - 1)))
        #expect(object["absent"] == nil)
        #expect(parsed(text) == reference(text))
    }

    @Test func objectsAreEqualWhateverTheOrderOfTheirMembers() {
        #expect(parsed(#"{"a": 1, "b": {"c": [2]}}"#) == parsed(#"{"b": {"c": [2]}, "a": 1}"#))
        #expect(parsed(#"{"a": 1, "b": 2}"#) != parsed(#"{"a": 1}"#))
        #expect(parsed(#"{"a": 1, "b": 2}"#) != parsed(#"{"a": 1, "b": 3}"#))
        #expect(parsed(#"{"a": 1, "b": 2}"#) != parsed(#"{"a": 1, "c": 2}"#))
    }

    /// Setting and removing members across the size where the index starts finds every one.
    @Test func membersSetAndRemovedAreFoundByName() {
        var object = JSONObject()
        for number in 0..<40 { object["k\(number)"] = .number(Double(number)) }
        for number in stride(from: 0, to: 40, by: 3) { object["k\(number)"] = nil }
        object["k1"] = .string("replaced")
        object["late"] = .bool(true)
        for number in 0..<40 {
            let expected: JSONValue? = number == 1 ? .string("replaced") : number % 3 == 0 ? nil : .number(Double(number))
            #expect(object["k\(number)"] == expected, "k\(number)")
        }
        #expect(object["late"] == .bool(true))
        #expect(object.count == 40 - 14 + 1)
        #expect(object.keys.first == "k1" && object.keys.last == "late")
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
