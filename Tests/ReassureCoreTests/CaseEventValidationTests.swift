import Foundation
import Testing

@testable import ReassureCore

@Suite struct CaseEventValidationTests {
    @Test func theDesignDocumentsExampleIsValid() throws {
        let event = try decodedEvent(reportedEvent())
        #expect(event.type == .caseReported)
        #expect(event.victim?.languages == ["so", "en"])
        #expect(event.caseInfo.priority == .enhanced)
    }

    @Test func everyProblemIsReportedAtOnceWithItsPath() throws {
        var event = reportedEvent()
        event["type"] = "case.reportd"
        event["occurred_at"] = "20 Nov 2026"
        var victim = event["victim"] as! [String: Any]
        victim["languages"] = ["so", "en_US", 7]
        victim["timezone"] = "Mars/Olympus"
        victim["contact"] = ["sms": "082 123 4567", "email": "amina at example"]
        victim["safe_to_contact"] = "maybe"
        victim["windows"] = [["days": "someday", "from": "25:00", "to": "09:00"]]
        event["victim"] = victim
        let paths = Set(try problems(event).map(\.path))
        #expect(paths == [
            "type", "occurred_at", "victim.languages[1]", "victim.languages[2]", "victim.timezone", "victim.contact.sms",
            "victim.contact.email", "victim.safe_to_contact", "victim.windows[0].days", "victim.windows[0].from",
        ])
    }

    @Test func problemsNeverEchoTheValue() throws {
        var event = reportedEvent()
        var victim = event["victim"] as! [String: Any]
        victim["contact"] = ["sms": "0821234567-SECRET", "email": "SECRET-not-an-email"]
        victim["given_name"] = String(repeating: "N", count: 101)
        event["victim"] = victim
        let found = try problems(event)
        #expect(found.count == 3)
        #expect(found.allSatisfy { !$0.problem.contains("SECRET") && !$0.problem.contains("NNNN") })
    }

    @Test(arguments: [
        ("case.closed", "outcome"), ("case.updated", "update"),
    ])
    func typesRequireTheirOwnFields(type: String, missing: String) throws {
        let event: [String: Any] = [
            "id": "e1", "type": type, "occurred_at": "2026-11-21T10:00:00Z",
            "case": ["reference": "CAS 1/11/2026", "unit": "u"],
        ]
        #expect(try problems(event).map(\.path) == [missing])
    }

    @Test func aClosedCaseNeedsAnOutcomeCode() throws {
        let event: [String: Any] = [
            "id": "e1", "type": "case.closed", "occurred_at": "2026-11-21T10:00:00Z",
            "case": ["reference": "CAS 1/11/2026", "unit": "u"], "outcome": ["code": ""],
        ]
        #expect(try problems(event) == [ValidationProblem(path: "outcome.code", problem: "must not be empty")])
    }

    @Test func sizesAreBounded() throws {
        var event = reportedEvent(id: String(repeating: "x", count: 129), languages: ["so", "en", "ar", "am", "sw", "fr", "pt", "es", "zu"])
        event["officer"] = ["phone": "+0123"]
        let paths = try problems(event).map(\.path)
        #expect(paths.contains("id"))
        #expect(paths.contains("victim.languages"))
        #expect(paths.contains("officer.phone"))
    }

    @Test(arguments: ["so", "pt-MZ", "es-419", "zh-Hant-TW", "sr-Latn-RS", "de-CH-1901", "en-US-x-twain", "x-private", "ast"])
    func wellFormedLanguageTagsAreAccepted(_ tag: String) {
        #expect(LanguageTag.problem(tag) == nil)
    }

    @Test(arguments: ["", "en_US", "e", "english", "pt-", "-pt", "en-US-US-US", "de-1901-1901", "a-b-c", "en--US", "123"])
    func malformedLanguageTagsAreRefused(_ tag: String) {
        #expect(LanguageTag.problem(tag) != nil)
    }

    @Test func rfc3339TimesNeedAZone() {
        #expect(FieldFormats.rfc3339("2026-11-20T09:30:00Z") != nil)
        #expect(FieldFormats.rfc3339("2026-11-20T09:30:00.250+02:00") != nil)
        #expect(FieldFormats.rfc3339("2026-11-20T09:30:00") == nil)
        #expect(FieldFormats.rfc3339("2026-11-20") == nil)
    }

    @Test func aBatchReportsEachEventByPosition() throws {
        let body = try JSONSerialization.data(withJSONObject: ["events": [reportedEvent(id: "a"), ["id": "b"], reportedEvent(id: "c")]])
        let results = try CaseEventIntake.process(body: body)
        #expect(results.map(\.index) == [0, 1, 2])
        #expect(results.map { (try? $0.outcome.get()) != nil } == [true, false, true])
    }

    @Test func malformedJSONIsAParseError() {
        #expect(throws: JSONValue.ParseError.self) { try CaseEventIntake.process(body: Data("{\"id\": ".utf8)) }
    }

    @Test func jsonLinesAreReadLineByLine() throws {
        let line = String(decoding: try JSONSerialization.data(withJSONObject: reportedEvent()), as: UTF8.self)
        let results = CaseEventIntake.process(file: Data("\(line)\n\nnot json\n\(line)\n".utf8))
        #expect(results.map(\.line) == [1, 3, 4])
        #expect(results.map { (try? $0.result.outcome.get()) != nil } == [true, false, true])
    }
}
