import AMQP
import Foundation
import Logging
import ReassureCore
import ReassureGateways
import ReassureStore
import ServiceLifecycle

/// Finds work nobody is doing and puts it back on its way, so nothing is silently stuck:
/// - claimed/queued contacts past their lease (a dead clock or a lost message) → `scheduled`;
/// - `sending` contacts unchanged past the sending timeout (a dispatcher died mid-send) →
///   `contact.due` again, which re-sends with the same idempotency key;
/// - `sent` contacts with no receipt past the receipt timeout → the provider is asked.
/// Runs with the clock role.
public struct SweeperService: Service {
    let dependencies: WorkerDependencies
    static let stage = "sweeper"

    public init(dependencies: WorkerDependencies) {
        self.dependencies = dependencies
    }

    public func run() async throws {
        let connection = try await dependencies.connect(Self.stage)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await sweep(connection: connection)
                } catch is CancellationError {
                    return
                } catch {
                    // Stopping: a query cut short by the cancellation is not a failure.
                    if Task.isCancelled { return }
                    dependencies.logger.error("sweep failed; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: dependencies.configuration.sweepInterval)
            }
        }
        await connection.close()
    }

    func sweep(connection: AMQPConnection) async throws {
        let store = dependencies.store
        let clock = dependencies.clock
        let configuration = dependencies.configuration
        let now = clock.now()
        let backlog = try await store.dueBacklog(now: now)
        WorkerMetrics.backlog(backlog.count, oldestAge: backlog.oldestAge / clock.span(1))
        let released = try await store.releaseExpiredLeases(now: now)
        WorkerMetrics.count(Self.stage, "released", by: released)

        let sending = try await store.takeStuck(in: .sending, before: now.addingTimeInterval(-clock.span(configuration.sendingTimeout)), limit: 500, at: now)
        if !sending.isEmpty {
            let messages = ContactDue.messages(sending.map { ContactDue(contactID: $0.id, dueAt: $0.dueAt) }, to: ReassureTopology.dispatchQueue)
            _ = await connection.publish(messages)
            WorkerMetrics.count(Self.stage, "requeued", by: sending.count)
            dependencies.logger.warning("re-queued contacts left sending", metadata: ["count": "\(sending.count)"])
        }

        let sent = try await store.takeStuck(in: .sent, before: now.addingTimeInterval(-clock.span(configuration.receiptTimeout)), limit: 500, at: now)
        guard !sent.isEmpty else { return }
        let attempts = try await store.currentAttempts(sent.map(\.id))
        var outcomes: [AttemptOutcome] = []
        for contact in sent {
            guard let attempt = attempts[contact.id], let channel = Channel(rawValue: attempt.channel),
                  let receipt = await dependencies.gateways[channel]?.lookup(idempotencyKey: attempt.idempotencyKey) else { continue }
            outcomes.append(AttemptOutcome(idempotencyKey: attempt.idempotencyKey, status: AttemptOutcome.Status(rawValue: receipt.status.rawValue) ?? .sent,
                                           providerMessageID: receipt.providerMessageID, error: receipt.error, at: now))
        }
        try await store.recordOutcomes(outcomes)
        WorkerMetrics.count(Self.stage, "receipts_recovered", by: outcomes.count)
        WorkerMetrics.count(Self.stage, "receipts_overdue", by: sent.count - outcomes.count)
    }
}
