import Foundation
import Logging

/// `reassure bench store`: rows per second for scheduling contacts (cases with their whole plans,
/// 50 cases per transaction, as the scheduler batches them) and for recording outcomes (batches, as the outcomes
/// worker does), on a fresh store of each backend.
public struct StoreBenchmark: Sendable {
    public struct Figures: Sendable {
        public var schedulePerSecond: Double
        public var outcomesPerSecond: Double
    }

    public let contacts: Int
    public let contactsPerCase: Int
    public let outcomeBatch: Int
    /// Cases per transaction, as the scheduler batches the deliveries it has prefetched.
    public let casesPerTransaction: Int

    public init(contacts: Int = 100_000, contactsPerCase: Int = 10, outcomeBatch: Int = 500, casesPerTransaction: Int = 50) {
        self.contacts = contacts
        self.contactsPerCase = contactsPerCase
        self.outcomeBatch = outcomeBatch
        self.casesPerTransaction = casesPerTransaction
    }

    public func run(on database: any SQLDatabase, progress: @Sendable (String) -> Void) async throws -> Figures {
        var key = [UInt8](repeating: 0, count: 32)
        for index in key.indices { key[index] = UInt8.random(in: 0...255) }
        let store = Store(database: database, protector: try DataProtector(keys: [key]))
        try await store.migrate()
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let cases = contacts / contactsPerCase
        var clock = ContinuousClock.now
        for batchStart in stride(from: 0, to: cases, by: casesPerTransaction) {
            let batch = (batchStart..<min(batchStart + casesPerTransaction, cases)).map { index in
                Store.CaseToRecord(
                    eventID: "bench-\(index)", case: NewCase(reference: "CAS \(index)/11/2026", unit: "unit-\(index % 7)", category: "theft",
                                                            priority: "standard", openedAt: start),
                    victim: NewVictim(ref: "V-\(index)", givenName: "Name", phone: "+2782\(String(format: "%07d", index))", email: nil,
                                      languages: ["so"], timezone: "Africa/Johannesburg", preferredChannel: "sms", safeToContact: "yes",
                                      consentStatus: "given"),
                    contacts: (0..<contactsPerCase).map {
                        NewContact(stage: "check_in", label: "day \($0)", dueAt: start.addingTimeInterval(Double($0) * 86_400), language: "so",
                                   channel: "sms", templateVersion: "1", segments: 2)
                    }, tasks: [])
            }
            _ = try await store.recordCases(batch, at: start)
            if (batchStart / casesPerTransaction) % 10 == 9 { progress("scheduled \((batchStart + batch.count) * contactsPerCase) contacts") }
        }
        let schedule = Double(cases * contactsPerCase) / Self.seconds(since: clock)
        progress("scheduling: \(Int(schedule)) contacts/s")

        let keys = try await store.startAttemptsForBenchmark(at: start)
        clock = ContinuousClock.now
        for batchStart in stride(from: 0, to: keys.count, by: outcomeBatch) {
            let batch = keys[batchStart..<min(batchStart + outcomeBatch, keys.count)].map {
                AttemptOutcome(idempotencyKey: $0, status: .delivered, providerMessageID: "p-\($0.suffix(6))", at: start)
            }
            _ = try await store.recordOutcomes(batch)
        }
        let outcomes = Double(keys.count) / Self.seconds(since: clock)
        progress("outcomes: \(Int(outcomes)) outcomes/s")
        return Figures(schedulePerSecond: schedule, outcomesPerSecond: outcomes)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

extension Store {
    /// Benchmark set-up only: every scheduled contact gets a first attempt in `sending`, in bulk.
    func startAttemptsForBenchmark(at now: Date) async throws -> [String] {
        try await database.transaction { tx in
            try await tx.query("""
                INSERT INTO attempts (idempotency_key, contact_id, number, channel, status, started_at)
                SELECT id || ':1', id, 1, channel, 'sending', ? FROM contacts WHERE state = 'scheduled'
                """, [SQLValue(now)])
            try await tx.query("UPDATE contacts SET state = 'sending', attempts = 1 WHERE state = 'scheduled'", [])
            return try await tx.query("SELECT idempotency_key FROM attempts ORDER BY idempotency_key", []).compactMap { $0.text("idempotency_key") }
        }
    }
}
