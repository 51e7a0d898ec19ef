import Foundation
import Testing

@testable import ReassureCore

/// The hand-written event reader and writer stand in for Codable on every ingest and every
/// scheduler delivery: they must accept, refuse and write exactly what Codable does.
@Suite struct CaseEventCodingTests {
    /// Every member of the model set, in every nested type (checked below), with text that needs
    /// escaping and a time with milliseconds.
    static func fullDocument() throws -> JSONValue {
        var event = reportedEvent()
        event["update"] = ["kind": "arrest"]
        event["outcome"] = ["code": "charged"]
        event["occurred_at"] = "2026-11-20T09:30:00.250+02:00"
        var victim = event["victim"] as! [String: Any]
        victim["discreet_contact"] = true
        victim["given_name"] = "Amina \"Ami\" \\ / \u{1} ñ 🌍"
        victim["windows"] = [["days": "mon-fri", "from": "09:00", "to": "17:00"], ["days": "sat", "from": "10:00", "to": "12:00"]]
        event["victim"] = victim
        return try document(event)
    }

    @Test func theFixtureSetsEveryMemberOfTheModel() throws {
        let event = try JSONValueDecoder().decode(CaseEvent.self, from: try Self.fullDocument())
        #expect(Self.unsetMembers(of: event).isEmpty, "members left nil: \(Self.unsetMembers(of: event))")
    }

    @Test func theWriterWritesByteForByteWhatTheCodableEncoderWrites() throws {
        var events = [try JSONValueDecoder().decode(CaseEvent.self, from: try Self.fullDocument())]
        // Each optional member absent in turn, and an event with none of them.
        for variant in Self.mutations(of: try Self.fullDocument()) where variant.kind == "absent" {
            if let event = try? JSONValueDecoder().decode(CaseEvent.self, from: variant.document) { events.append(event) }
        }
        events.append(CaseEvent(id: "e-1", type: .caseClosed, occurredAt: Date(timeIntervalSince1970: 0), caseInfo: CaseInfo(reference: "R", unit: "u")))
        #expect(events.count > 20)
        for event in events {
            let written = event.jsonBytes()
            let codable = try JSONValueEncoder().encode(event).serialized()
            #expect(written == codable, "\(String(decoding: written, as: UTF8.self))\n\(String(decoding: codable, as: UTF8.self))")
        }
    }

    @Test func theReaderAcceptsAndRefusesWhatCodableDoesWithTheSamePaths() throws {
        let variants = Self.mutations(of: try Self.fullDocument())
        #expect(variants.count > 200)
        var refused = 0
        for variant in variants {
            let codable = Result { try JSONValueDecoder().decode(CaseEvent.self, from: variant.document) }
            let reader = Result { try CaseEvent(document: variant.document) }
            switch (codable, reader) {
            case (.success(let expected), .success(let read)):
                #expect(read == expected, "\(variant.kind) at \(variant.path)")
            case (.failure(let expected), .failure(let read)):
                refused += 1
                #expect(Self.summary(read) == Self.summary(expected), "\(variant.kind) at \(variant.path)")
            default:
                Issue.record("\(variant.kind) at \(variant.path): Codable \(codable), reader \(reader)")
            }
        }
        #expect(refused > 50)
    }

    /// Every member and element of the document, in turn: removed, null, or of another JSON type
    /// (and strings replaced by text no enumeration or time accepts).
    static func mutations(of value: JSONValue, path: String = "$") -> [(kind: String, path: String, document: JSONValue)] {
        var variants: [(kind: String, path: String, document: JSONValue)] = []
        let replacements: [(String, JSONValue)] = [
            ("null", .null), ("number", .number(1)), ("bool", .bool(false)), ("text", .string("not-a-valid-value")),
            ("array", .array([])), ("object", .object([:])),
        ]
        switch value {
        case .object(let members):
            for (key, member) in members {
                var without = members
                without[key] = nil
                variants.append(("absent", "\(path).\(key)", .object(without)))
                for (kind, replacement) in replacements {
                    var changed = members
                    changed[key] = replacement
                    variants.append((kind, "\(path).\(key)", .object(changed)))
                }
                for nested in mutations(of: member, path: "\(path).\(key)") {
                    var changed = members
                    changed[key] = nested.document
                    variants.append((nested.kind, nested.path, .object(changed)))
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                for (kind, replacement) in replacements {
                    var changed = elements
                    changed[index] = replacement
                    variants.append((kind, "\(path)[\(index)]", .array(changed)))
                }
                for nested in mutations(of: element, path: "\(path)[\(index)]") {
                    var changed = elements
                    changed[index] = nested.document
                    variants.append((nested.kind, nested.path, .array(changed)))
                }
            }
        default:
            break
        }
        return variants
    }

    /// The kind of a decoding error and its coding path: what `CaseEventIntake` tells integrators.
    static func summary(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "not a DecodingError: \(error)" }
        func path(_ context: DecodingError.Context) -> String { context.codingPath.map(\.stringValue).joined(separator: ".") }
        switch decoding {
        case .typeMismatch(_, let context): return "typeMismatch at \(path(context))"
        case .valueNotFound(_, let context): return "valueNotFound at \(path(context))"
        case .keyNotFound(let key, let context): return "keyNotFound \(key.stringValue) at \(path(context))"
        case .dataCorrupted(let context): return "dataCorrupted at \(path(context))"
        @unknown default: return "unknown"
        }
    }

    /// Paths of optional members that are nil, in the value and everything it holds.
    static func unsetMembers(of value: Any, path: String = "event") -> [String] {
        var unset: [String] = []
        for child in Mirror(reflecting: value).children {
            let name = "\(path).\(child.label ?? "?")"
            let inner = Mirror(reflecting: child.value)
            if inner.displayStyle == .optional {
                guard let wrapped = inner.children.first?.value else {
                    unset.append(name)
                    continue
                }
                unset += unsetMembers(of: wrapped, path: name)
            } else if inner.displayStyle == .struct || inner.displayStyle == .collection {
                unset += unsetMembers(of: child.value, path: name)
            }
        }
        return unset
    }
}
