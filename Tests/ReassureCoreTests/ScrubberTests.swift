import Foundation
import PropertyBased
import Testing

@testable import ReassureCore

@Suite struct ScrubberTests {
    static let stems = [
        ["immigration", "status"], ["citizenship"], ["nationality"], ["visa", "type"], ["visa", "expiry"], ["passport", "number"],
        ["asylum", "claim"], ["residence", "permit"], ["country", "of", "origin"], ["ethnicity"], ["race"], ["religion"],
    ]

    /// The same field name as integrators spell it.
    static func spellings(_ words: [String]) -> [String] {
        let camel = words[0] + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return [
            words.joined(separator: "_"), words.joined(separator: "-"), camel, camel.prefix(1).uppercased() + camel.dropFirst(),
            words.joined(separator: "_").uppercased(), words.joined(separator: " "),
        ]
    }

    @Test func everyForbiddenSpellingIsRemovedAtEveryDepthAndItsValueNeverEchoed() async {
        let names = Self.stems.flatMap(Self.spellings)
        await propertyCheck(count: 300, input: Gen.int(in: 0..<names.count), Gen.int(in: 0...5)) { index, depth in
            let secret = "SECRET-VALUE-\(index)-\(depth)"
            var inner: JSONValue = .object([names[index]: .string(secret), "keep": .string("ok")])
            for level in 0..<depth {
                inner = level % 2 == 0 ? .object(["level\(level)": inner]) : .array([.string("x"), inner])
            }
            let (cleaned, warnings) = ForbiddenFieldScrubber.scrub(.object(["victim": inner]))
            let text = String(decoding: try! JSONEncoder().encode(cleaned), as: UTF8.self)
            #expect(!text.contains("SECRET-VALUE"), "\(names[index]) at depth \(depth) survived")
            #expect(text.contains("\"keep\""))
            #expect(warnings.count == 1)
            #expect(warnings.allSatisfy { !$0.description.contains("SECRET") })
            #expect(warnings.first?.path.hasSuffix(names[index]) == true)
        }
    }

    /// A body built to hurt: thousands of forbidden members among ordinary ones in one object.
    @Test func aLargeObjectLosesEveryForbiddenMemberAndKeepsTheRestInOrder() {
        var members: [JSONObject.Element] = []
        for number in 0..<3_000 {
            members.append(("note\(number)", .string("kept-\(number)")))
            members.append(("visa_\(number)", .string("SECRET-\(number)")))
        }
        var object = JSONObject()
        for (key, value) in members { object[key] = value }
        let (cleaned, warnings) = ForbiddenFieldScrubber.scrub(.object(["victim": .object(object)]))
        let victim = cleaned["victim"]?.object
        #expect(victim?.count == 3_000)
        #expect(victim.map { Array($0.keys) } == (0..<3_000).map { "note\($0)" })
        #expect(victim?["note2999"] == .string("kept-2999"))
        #expect(warnings.count == 3_000)
        #expect(warnings.first?.path == "victim.visa_0")
    }

    @Test(arguments: ["ref", "languages", "given_name", "timezone", "category", "priority", "consent", "contact", "raceway_ref"])
    func ordinaryFieldsAreKept(_ key: String) {
        #expect(!ForbiddenFieldScrubber.isForbidden(key))
    }

    @Test func aScrubbedEventStillPassesAndCarriesItsWarnings() throws {
        var event = reportedEvent()
        var victim = event["victim"] as! [String: Any]
        victim["ImmigrationStatus"] = "undocumented"
        victim["details"] = ["religion": "x", "passport_no": "P123"]
        event["victim"] = victim
        let result = try intake(event)
        #expect((try? result.outcome.get()) != nil)
        #expect(result.warnings.map(\.path) == ["victim.ImmigrationStatus", "victim.details.passport_no", "victim.details.religion"])
    }

    @Test(arguments: [("Immigration-Status", true), ("PASSPORT_NO", true), ("wor\u{212A}_permit", true), ("Ethnic Group", true),
                      ("given_name", false), ("ß_religion", true), ("naïve_ref", false)])
    func keysAreJudgedTheSameWhateverTheirScript(_ key: String, forbidden: Bool) {
        // ASCII keys take a byte-wise shortcut; the Kelvin sign (U+212A) lowercases to "k" only by Unicode rules.
        #expect(ForbiddenFieldScrubber.isForbidden(key) == forbidden)
    }
}

/// The contract's member names skip the normalising check; none of them may be one it refuses.
@Suite struct ScrubberFastPathTests {
    @Test func noContractNameIsForbidden() {
        #expect(ForbiddenFieldScrubber.contractNames.count > 30)
        for name in ForbiddenFieldScrubber.contractNames {
            #expect(!ForbiddenFieldScrubber.normalisedIsForbidden(name), "\(name)")
        }
    }
}
