import Foundation
import Testing

@testable import ReassureCore

@Suite struct UUIDTextTests {
    @Test func readsAndWritesWhatFoundationDoes() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(UUIDText.string(id) == id.uuidString)
            #expect(UUIDText.parse(id.uuidString) == id)
            #expect(UUIDText.parse(id.uuidString.lowercased()) == id)
        }
    }

    @Test(arguments: ["", "not-a-uuid", "E621E1F8C36C495A93FC0C247A3E6E5F", "E621E1F8-C36C-495A-93FC-0C247A3E6E5", "E621E1F8-C36C-495A-93FC-0C247A3E6E5G",
                      "E621E1F8-C36C-495A-93FC-0C247A3E6E5F0", "{E621E1F8-C36C-495A-93FC-0C247A3E6E5F}", "E621E1F8+C36C-495A-93FC-0C247A3E6E5F"])
    func refusesWhatFoundationRefuses(_ text: String) {
        #expect(UUIDText.parse(text) == nil)
        #expect(UUID(uuidString: text) == nil)
    }
}
