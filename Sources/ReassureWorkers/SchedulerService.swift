import AMQP
import Foundation
import Logging
import ReassureCore
import ReassureStore
import ServiceLifecycle

/// Turns case events (queue `reassure.scheduler`) into cases, victims and contact plans in the
/// store. Idempotent by event id; acks only after the store committed; a malformed event goes to
/// the dead-letter queue with its reason.
public struct SchedulerService: Service {
    let dependencies: WorkerDependencies
    static let stage = "scheduler"
    /// Times an event about a case not yet stored (it may be in flight) is retried before it is dead-lettered.
    static let unknownCaseRetries = 3

    public init(dependencies: WorkerDependencies) {
        self.dependencies = dependencies
    }

    public func run() async throws {
        let connection = try await dependencies.connect(Self.stage)
        let loop = ConsumerLoop(queue: ReassureTopology.schedulerQueue, prefetch: dependencies.configuration.prefetch,
                                batchSize: dependencies.configuration.batchSize, logger: dependencies.logger)
        try await loop.run(on: connection) { batch, consumer in
            try await process(batch, consumer: consumer, connection: connection)
        }
        await connection.close()
    }

    func process(_ batch: [Delivery], consumer: AMQPConsumer, connection: AMQPConnection) async throws {
        let now = dependencies.clock.now()
        var reported: [(Delivery, Store.CaseToRecord)] = []
        var others: [(Delivery, CaseEvent)] = []
        for delivery in batch {
            switch decode(delivery) {
            case .failure(let problem):
                await DeadLetters.send(delivery, reason: problem.reason, from: consumer, via: connection, logger: dependencies.logger)
                WorkerMetrics.count(Self.stage, "dead_lettered")
            case .success(let event) where event.type == .caseReported:
                guard let victim = event.victim else {
                    await DeadLetters.send(delivery, reason: "case.reported without a victim", from: consumer, via: connection, logger: dependencies.logger)
                    continue
                }
                let plan = dependencies.planner.plan(for: event, now: now)
                reported.append((delivery, Store.CaseToRecord(
                    eventID: event.id, case: CaseRecords.newCase(event), victim: CaseRecords.newVictim(victim),
                    contacts: CaseRecords.newContacts(plan), tasks: CaseRecords.newTasks(plan.tasks))))
            case .success(let event):
                others.append((delivery, event))
            }
        }
        if !reported.isEmpty {
            let results = try await dependencies.store.recordCases(reported.map(\.1), at: now)
            for ((delivery, _), result) in zip(reported, results) {
                _ = consumer.ack(delivery)
                WorkerMetrics.count(Self.stage, result == .duplicateEvent ? "skipped" : "processed")
            }
        }
        for (delivery, event) in others {
            switch try await apply(event, now: now) {
            case .done:
                _ = consumer.ack(delivery)
                WorkerMetrics.count(Self.stage, "processed")
            case .unknownCase:
                // It may have overtaken its case.reported (several schedulers run at once).
                await DeadLetters.retryLater(delivery, limit: Self.unknownCaseRetries, reason: "no stored case for this event's unit and reference",
                                             stage: Self.stage, from: consumer, via: connection, logger: dependencies.logger)
            }
        }
    }

    private func decode(_ delivery: Delivery) -> Result<CaseEvent, EventProblem> {
        let results: [CaseEventIntake.Result]
        do {
            results = try CaseEventIntake.process(body: Data(delivery.body))
        } catch {
            return .failure(EventProblem("malformed JSON"))
        }
        guard results.count == 1, let result = results.first else {
            return .failure(EventProblem("expected one event per message, found \(results.count)"))
        }
        switch result.outcome {
        case .success(let event): return .success(event)
        case .failure(let rejection):
            let problems = rejection.problems.prefix(5).map { "\($0.path): \($0.problem)" }.joined(separator: "; ")
            return .failure(EventProblem("invalid event: \(problems)"))
        }
    }

    private enum Applied { case done, unknownCase }

    /// Everything but `case.reported`: each change in one transaction with its event id.
    private func apply(_ event: CaseEvent, now: Date) async throws -> Applied {
        let store = dependencies.store
        guard let caseID = try await store.caseID(unit: event.caseInfo.unit, reference: event.caseInfo.reference),
              let snapshot = try await store.snapshot(caseID: caseID) else { return .unknownCase }
        let stored = CaseRecords.event(from: snapshot, id: event.id, type: event.type)
        let planner = dependencies.planner
        switch event.type {
        case .caseReported:
            return .done
        case .caseUpdated:
            let plan = planner.single(.update, for: stored, now: now)
            _ = try await store.addContacts(eventID: event.id, CaseRecords.newContacts(plan), tasks: CaseRecords.newTasks(plan.tasks),
                                            caseID: caseID, victimID: snapshot.victimID, unit: snapshot.unit, at: now)
        case .caseClosed:
            let plan = snapshot.optedOut ? ContactPlan() : planner.single(.closing, for: stored, now: now)
            _ = try await store.closeCase(eventID: event.id, caseID: caseID, victimID: snapshot.victimID, unit: snapshot.unit,
                                          outcomeCode: event.outcome?.code ?? "closed", closing: CaseRecords.newContacts(plan),
                                          tasks: CaseRecords.newTasks(plan.tasks), at: now)
        case .victimUpdated:
            guard var victim = event.victim else { return .done }
            // Discreet contact is only ever lifted explicitly (`"discreet_contact": false`): an
            // update that does not mention it must not expose the victim by omission.
            if victim.discreetContact == nil { victim.discreetContact = snapshot.discreetContact }
            var updated = stored
            updated.victim = victim
            let pending = try await store.pendingContacts(victimID: snapshot.victimID)
            var contacts: [NewContact] = []
            var tasks: [PersonTask] = []
            for contact in pending {
                guard let stage = ContactStage(rawValue: contact.stage) else { continue }
                let plan = planner.single(stage, for: updated, now: max(now, contact.dueAt))
                contacts += CaseRecords.newContacts(plan)
                for task in plan.tasks where !tasks.contains(task) { tasks.append(task) }
            }
            _ = try await store.replaceVictim(eventID: event.id, victimID: snapshot.victimID, caseID: caseID, unit: snapshot.unit,
                                              with: CaseRecords.newVictim(victim), cancel: pending.map(\.id), replan: contacts,
                                              tasks: CaseRecords.newTasks(tasks), at: now)
        case .victimOptedOut, .victimOptedIn:
            _ = try await store.setOptedOut(eventID: event.id, victimID: snapshot.victimID, event.type == .victimOptedOut,
                                            actor: "records system", at: now)
        }
        return .done
    }
}

struct EventProblem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
