import Foundation
import Testing

@testable import ReassureCore

/// The files integrators hand to `validate` and `emit`: line numbers must match their editor's,
/// and whatever spacing or line endings their tools wrote must not turn a good line bad.
@Suite struct JSONLinesTests {
    func read(_ text: String) -> [(Int, String)] {
        JSONLines.lines(Data(text.utf8)).map { ($0.number, String(decoding: $0.bytes, as: UTF8.self)) }
    }

    @Test func blankLinesAreSkippedButCounted() {
        let lines = read("{\"a\":1}\n\n   \n\t{\"b\":2}  \n{\"c\":3}")
        #expect(lines.map(\.0) == [1, 4, 5])
        #expect(lines.map(\.1) == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
    }

    @Test func windowsLineEndingsAndAFinalNewlineChangeNothing() {
        let lines = read("{\"a\":1}\r\n\r\n{\"b\":2}\r\n")
        #expect(lines.map(\.0) == [1, 3])
        #expect(lines.map(\.1) == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(read("").isEmpty)
        #expect(read("\n\n").isEmpty)
    }

    @Test func unicodeSpacesAroundALineAreTrimmedAsBefore() {
        let lines = read("\u{00A0}{\"name\":\"Zoë\"}\u{2003}\n\u{00A0}\u{00A0}\n{\"name\":\"Zoë\"}")
        #expect(lines.map(\.0) == [1, 3])
        #expect(lines.map(\.1) == [#"{"name":"Zoë"}"#, #"{"name":"Zoë"}"#])
    }

    @Test func aLineInAnotherEncodingIsNamedAsSuch() {
        var data = Data(#"{"id":"evt-1","victim":{"given_name":"Ren"#.utf8)
        data.append(0xE9) // é in Latin-1
        data.append(contentsOf: Array("e\"}}\n{\"id\": \n".utf8))
        let lines = JSONLines.lines(data)
        #expect(lines.count == 2)
        #expect(lines.first?.unreadableReason == "line is not UTF-8 text; save the file as UTF-8")
        #expect(lines.last?.unreadableReason == "line is not valid JSON")
        let results = CaseEventIntake.process(file: data)
        #expect(results.map(\.line) == [1, 2])
        guard case .failure(let rejection) = results.first?.result.outcome else {
            Issue.record("a Latin-1 line was accepted")
            return
        }
        #expect(rejection.problems == [ValidationProblem(path: "$", problem: "line is not UTF-8 text; save the file as UTF-8")])
    }
}
