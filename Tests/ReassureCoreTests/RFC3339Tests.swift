import Foundation
import Testing
@testable import ReassureCore

@Suite struct RFC3339Tests {
    @Test func parsesWhatTheContractAllowsToTheMillisecond() throws {
        let reference = try #require(ISO8601DateFormatter().date(from: "2026-11-20T09:30:00Z"))
        #expect(FieldFormats.rfc3339("2026-11-20T09:30:00Z") == reference)
        #expect(FieldFormats.rfc3339("2026-11-20T11:30:00+02:00") == reference)
        #expect(FieldFormats.rfc3339("2026-11-20T04:00:00-05:30") == reference)
        #expect(FieldFormats.rfc3339("2026-11-20T09:30:00.250Z") == reference.addingTimeInterval(0.25))
        #expect(FieldFormats.rfc3339("2024-02-29T00:00:00Z") == ISO8601DateFormatter().date(from: "2024-02-29T00:00:00Z"))
        #expect(FieldFormats.rfc3339("1969-12-31T23:59:59Z") == Date(timeIntervalSince1970: -1))
    }

    @Test(arguments: ["2026-11-20", "2026-11-20T09:30:00", "2026-02-30T09:30:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                      "2026-11-20T24:00:00Z", "2026-11-20 09:30:00Z", "2026-11-20T09:30:00.Z", "2026-11-20T09:30:00+0200",
                      "2026-11-20T09:30:00Zjunk", "twenty-twenty-six"])
    func refusesAnythingElse(_ text: String) {
        #expect(FieldFormats.rfc3339(text) == nil)
    }
}
