import Foundation
import ReassureStore
import Testing

@Suite(.serialized, .timeLimit(.minutes(3))) struct FairnessTests {
    @Test func oneUnitsBacklogDoesNotDelayAnotherUnitsDueContact() async throws {
        let harness = try await WorkerHarness.make()
        // 1,500 acknowledgements due now for one unit, then one for another unit.
        let backlog = (0..<1500).map { reportedEvent(reference: "BIG \($0)", unit: "big-city-vsu", phone: "+2782\(String(format: "%07d", $0))") }
        try await harness.publish(backlog)
        try await harness.publish([reportedEvent(reference: "SMALL 1", unit: "small-town-vsu", phone: "+27829999999")])
        // The scheduler first, alone, so the whole backlog is due in the store before any is sent.
        let scheduler = try await harness.startWorkers([.scheduler])
        try await eventually("all 1,501 acknowledgements are scheduled", timeout: .seconds(90)) {
            try await harness.store.contactCounts()[.scheduled] == 1501 * 3
        }
        try await scheduler.stop()
        let workers = try await harness.startWorkers([.clock, .dispatcher, .outcomes])
        try await eventually("the small unit's acknowledgement is sent", timeout: .seconds(90)) {
            try harness.sent().contains { $0.to == "+27829999999" }
        }
        let position = try harness.sent().firstIndex { $0.to == "+27829999999" } ?? 0
        #expect(position < 300, "sent as message \(position + 1) of 1,501: it waited behind the other unit's backlog")
        try await workers.stop()
        try await harness.close()
    }
}
