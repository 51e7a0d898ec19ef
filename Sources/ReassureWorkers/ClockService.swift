import AMQP
import Foundation
import Logging
import ReassureCore
import ReassureStore
import ServiceLifecycle

/// Finds contacts that are due (by the possibly scaled clock), claims them in batches under a
/// lease, publishes `contact.due` to `reassure.dispatch` with publisher confirms, and marks the
/// confirmed ones queued. A crash between the steps leaves a lease that expires, so the contact
/// is claimed again: it can be queued twice, never sent twice (the dispatcher checks its state).
public struct ClockService: Service {
    let dependencies: WorkerDependencies
    static let stage = "clock"

    public init(dependencies: WorkerDependencies) {
        self.dependencies = dependencies
    }

    public func run() async throws {
        let connection = try await dependencies.connect(Self.stage)
        let configuration = dependencies.configuration
        let clock = dependencies.clock
        let owner = "\(configuration.workerID)/clock"
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let claimed = try await tick(connection: connection, owner: owner)
                    if claimed < configuration.claimBatch { try await Task.sleep(for: configuration.clockPoll) }
                } catch is CancellationError {
                    return
                } catch {
                    // Stopping: a query cut short by the cancellation is not a failure.
                    if Task.isCancelled { return }
                    dependencies.logger.error("clock tick failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
                _ = clock
            }
        }
        await connection.close()
    }

    /// One claim-publish-mark round; returns how many contacts it claimed.
    func tick(connection: AMQPConnection, owner: String) async throws -> Int {
        let configuration = dependencies.configuration
        let clock = dependencies.clock
        let now = clock.now()
        let lease = clock.span(configuration.lease)
        let claimed = try await dependencies.store.claimDueContacts(now: now, limit: configuration.claimBatch, perUnit: configuration.claimPerUnit,
                                                                    owner: owner, lease: lease, maxInFlight: configuration.maxQueued)
        guard !claimed.isEmpty else { return 0 }
        let messages = ContactDue.messages(claimed.map { ContactDue(contactID: $0.id, dueAt: $0.dueAt) }, to: ReassureTopology.dispatchQueue)
        let outcomes = await connection.publish(messages)
        // Message i carries claimed contacts i*perMessage ..< (i+1)*perMessage.
        let confirmed = claimed.indices.filter { outcomes[$0 / ContactDue.perMessage].isConfirmed }.map { claimed[$0].id }
        try await dependencies.store.markQueued(confirmed, leaseUntil: clock.now().addingTimeInterval(lease))
        WorkerMetrics.count(Self.stage, "processed", by: confirmed.count)
        if confirmed.count < claimed.count {
            // Not confirmed: the lease runs out and the sweeper returns them to `scheduled`.
            WorkerMetrics.count(Self.stage, "failed", by: claimed.count - confirmed.count)
            dependencies.logger.warning("broker did not confirm due contacts; they return when their lease ends",
                                        metadata: ["count": "\(claimed.count - confirmed.count)"])
        }
        return claimed.count
    }
}
