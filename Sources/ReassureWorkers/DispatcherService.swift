import AMQP
import Foundation
import Logging
import ReassureCore
import ReassureGateways
import ReassureStore
import ServiceLifecycle

/// Sends due contacts (queue `reassure.dispatch`). For each it re-checks the contact in the
/// store (cancelled? opted out? outside sending hours now?), renders the pinned template in the
/// pinned language, and moves the contact to `sending` with the attempt's idempotency key
/// *before* calling the gateway — so a crash after the send re-sends with the same key, which
/// the gateway deduplicates. Transient failures go to a retry tier; permanent ones try the
/// other channel, then fail to a person.
public struct DispatcherService: Service {
    let dependencies: WorkerDependencies
    static let stage = "dispatcher"
    /// Gateway calls in flight at once per batch.
    static let concurrentSends = 64

    public init(dependencies: WorkerDependencies) {
        self.dependencies = dependencies
    }

    public func run() async throws {
        let connection = try await dependencies.connect(Self.stage)
        let configuration = dependencies.configuration
        // The clock's messages carry up to `ContactDue.perMessage` contacts: prefetch and batches
        // count contacts, and each batch worked on at once has its own prefetch to take from.
        let concurrency = configuration.dispatchConcurrency
        let prefetch = UInt16(max(2, Int(configuration.prefetch) / ContactDue.perMessage) * concurrency)
        let loop = ConsumerLoop(queue: ReassureTopology.dispatchQueue, prefetch: prefetch, batchSize: configuration.batchSize,
                                logger: dependencies.logger, weight: BatchedMessage.count, concurrency: concurrency)
        try await loop.run(on: connection) { batch, consumer in
            try await DispatchBatch(dependencies: dependencies, consumer: consumer, connection: connection).process(batch)
        }
        await connection.close()
    }
}

/// One batch of due contacts through the dispatcher: read, check, begin attempts, send, record,
/// and only then settle the messages (a message names many contacts: it is acked once all of
/// them are settled, and returned to the queue if one of them could not be).
struct DispatchBatch {
    let dependencies: WorkerDependencies
    let consumer: AMQPConsumer
    let connection: AMQPConnection
    private let returned = ReturnedDeliveries()
    var stage: String { DispatcherService.stage }

    init(dependencies: WorkerDependencies, consumer: AMQPConsumer, connection: AMQPConnection) {
        self.dependencies = dependencies
        self.consumer = consumer
        self.connection = connection
    }

    /// A message ready for the gateway.
    struct Send: Sendable {
        var delivery: Delivery
        var item: DispatchItem
        /// The item as the planner sees it, built once per contact and batch.
        var event: CaseEvent
        var attempt: Attempt
        var message: GatewayMessage
    }

    func process(_ batch: [Delivery]) async throws {
        let now = dependencies.clock.now()
        var dues: [(Delivery, ContactDue)] = []
        var readable: [Delivery] = []
        for delivery in batch {
            guard let contacts = ContactDue.decode(delivery) else {
                await DeadLetters.send(delivery, reason: "malformed contact.due message", from: consumer, via: connection, logger: dependencies.logger)
                WorkerMetrics.count(stage, "dead_lettered")
                continue
            }
            readable.append(delivery)
            dues += contacts.map { (delivery, $0) }
        }
        try await dispatch(dues, now: now)
        for delivery in readable {
            _ = returned.contains(delivery) ? consumer.nack(delivery, requeue: true) : consumer.ack(delivery)
        }
    }

    private func dispatch(_ dues: [(Delivery, ContactDue)], now: Date) async throws {
        let store = dependencies.store
        let items = try await store.dispatchItems(dues.map(\.1.contactID))
        var toBegin: [(Delivery, DispatchItem, CaseEvent, Channel)] = []
        var toResend: [(Delivery, DispatchItem, CaseEvent)] = []
        var seen: Set<UUID> = []
        // The planner's view of each victim, built once per batch (a victim's contacts come together).
        var events: [UUID: CaseEvent] = [:]
        for (delivery, due) in dues {
            guard let item = items[due.contactID] else {
                // Only this contact is poison, not the others its message names.
                let letter = try due.message(to: ReassureTopology.dispatchQueue).body
                if await DeadLetters.publish(letter, like: delivery, reason: "no stored contact with this id", queue: consumer.queue,
                                             via: connection, logger: dependencies.logger) {
                    WorkerMetrics.count(stage, "dead_lettered")
                } else {
                    returned.insert(delivery)
                }
                continue
            }
            // The same contact twice in one batch (queued again after a lease ran out): once is enough.
            guard seen.insert(due.contactID).inserted else { settle(delivery, "skipped"); continue }
            switch item.contact.state {
            case .queued, .claimed:
                let event = events[item.snapshot.victimID] ?? CaseRecords.event(from: item.snapshot)
                events[item.snapshot.victimID] = event
                if let channel = try await check(item, event, delivery: delivery, now: now) { toBegin.append((delivery, item, event, channel)) }
            case .sending:
                // A retry or a re-send after a crash: still nothing after an opt-out or closing.
                if Self.isWithdrawn(item) {
                    try await store.transition(item.contact.id, from: .sending, to: .failed, at: now,
                                               error: item.snapshot.optedOut ? "not re-sent: the victim opted out" : "not re-sent: the case closed")
                    settle(delivery, "cancelled")
                } else {
                    toResend.append((delivery, item, CaseRecords.event(from: item.snapshot)))
                }
            case .scheduled, .sent, .delivered, .failed, .cancelled:
                settle(delivery, "skipped")
            }
        }
        let begun = try await store.beginAttempts(toBegin.map { ($0.1.contact.id, $0.3.rawValue) }, at: now)
        let current = try await store.currentAttempts(toResend.map(\.1.contact.id))
        var sends: [Send] = []
        for (delivery, item, event, _) in toBegin {
            guard let attempt = begun[item.contact.id] else { settle(delivery, "skipped"); continue }
            sends.append(contentsOf: try await prepare(delivery, item, event, attempt))
        }
        for (delivery, item, event) in toResend {
            guard let attempt = current[item.contact.id] else { settle(delivery, "skipped"); continue }
            sends.append(contentsOf: try await prepare(delivery, item, event, attempt))
        }
        let results = await send(sends)
        try await record(results, now: now)
    }

    /// The last look before sending; nil when the contact must not go now (then it is settled here).
    private func check(_ item: DispatchItem, _ event: CaseEvent, delivery: Delivery, now: Date) async throws -> Channel? {
        let store = dependencies.store
        let contact = item.contact
        let stage = ContactStage(rawValue: contact.stage) ?? .checkIn
        if Self.isWithdrawn(item) {
            try await store.transition(contact.id, from: contact.state, to: .cancelled, at: now)
            settle(delivery, "cancelled")
            return nil
        }
        switch dependencies.planner.dispatchCheck(for: event, stage: stage, plannedChannel: Channel(rawValue: contact.channel) ?? .sms, now: now) {
        case .send(let channel):
            return channel
        case .wait(let until):
            try await store.transition(contact.id, from: contact.state, to: .scheduled, at: now, dueAt: until)
            settle(delivery, "rescheduled")
            return nil
        case .block(let tasks):
            if try await store.transition(contact.id, from: contact.state, to: .cancelled, at: now) {
                try await store.addTasks(CaseRecords.newTasks(tasks), caseID: contact.caseID, at: now)
            }
            settle(delivery, "cancelled")
            return nil
        }
    }

    /// The victim opted out (only the confirmation still goes) or the case closed (only the
    /// closing message and replies to the victim still go).
    static func isWithdrawn(_ item: DispatchItem) -> Bool {
        let stage = ContactStage(rawValue: item.contact.stage) ?? .checkIn
        let isReply = stage == .optOutConfirmation || stage == .helpReply
        return (item.snapshot.optedOut && stage != .optOutConfirmation) || (!item.snapshot.caseOpen && stage != .closing && !isReply)
    }

    /// Renders the message for an attempt; a contact that cannot be rendered fails to a person.
    private func prepare(_ delivery: Delivery, _ item: DispatchItem, _ event: CaseEvent, _ attempt: Attempt) async throws -> [Send] {
        let contact = item.contact
        let channel = Channel(rawValue: attempt.channel) ?? .sms
        guard let stage = ContactStage(rawValue: contact.stage), let context = dependencies.planner.context(for: event),
              let address = event.victim?.contact?.address(for: channel),
              let rendered = try? TemplateRenderer.render(dependencies.planner.catalog, language: contact.language, stage: stage,
                                                          channel: channel, context: context, discreet: item.snapshot.discreetContact) else {
            try await giveUp(delivery, item, reason: "the message could not be rendered for \(contact.language)/\(attempt.channel)",
                             kind: "interpreter_needed")
            return []
        }
        // What the provider shows as the sender: the unit's own, or its neutral one for discreet contact.
        let sender = dependencies.senders.identity(unit: contact.unit, discreet: item.snapshot.discreetContact).sender(for: channel)
        let message = GatewayMessage(idempotencyKey: attempt.idempotencyKey, channel: channel, to: address, sender: sender,
                                     language: contact.language, body: rendered.body, subject: rendered.subject, html: rendered.html,
                                     segments: rendered.segments)
        return [Send(delivery: delivery, item: item, event: event, attempt: attempt, message: message)]
    }

    private func send(_ sends: [Send]) async -> [(Send, SendResult)] {
        let gateways = dependencies.gateways
        return await withTaskGroup(of: (Int, SendResult).self) { group in
            var results: [(Send, SendResult)?] = Array(repeating: nil, count: sends.count)
            var next = 0
            func launch() {
                guard next < sends.count else { return }
                let index = next
                let message = sends[index].message
                next += 1
                group.addTask {
                    guard let gateway = gateways[message.channel] else {
                        return (index, .permanentFailure(provider: "none", reason: .rejected))
                    }
                    return (index, await gateway.send(message))
                }
            }
            for _ in 0..<min(DispatcherService.concurrentSends, sends.count) { launch() }
            for await (index, result) in group {
                results[index] = (sends[index], result)
                launch()
            }
            return results.compactMap { $0 }
        }
    }

    private func record(_ results: [(Send, SendResult)], now: Date) async throws {
        var sent: [AttemptOutcome] = []
        for (send, result) in results {
            switch result {
            case .accepted(_, let providerMessageID):
                sent.append(AttemptOutcome(idempotencyKey: send.attempt.idempotencyKey, status: .sent, providerMessageID: providerMessageID,
                                           at: dependencies.clock.now()))
                WorkerMetrics.dueToSent(dependencies.clock.now().timeIntervalSince(send.item.contact.dueAt) / dependencies.clock.span(1))
            case .transientFailure(_, let reason):
                try await retry(send, reason: "transient: \(reason)", rateLimit: nil)
            case .rateLimited(_, let retryAfter):
                try await retry(send, reason: "rate limited", rateLimit: retryAfter)
            case .permanentFailure(_, let reason):
                try await fallBack(send, reason: reason)
            }
        }
        try await dependencies.store.recordOutcomes(sent)
        WorkerMetrics.count(stage, "processed", by: sent.count)
    }

    /// Back through a retry tier, still `sending` with the same attempt (and key): if the
    /// provider did take the message after all, the re-send is deduplicated.
    private func retry(_ send: Send, reason: String, rateLimit retryAfter: Duration?) async throws {
        let retries = Int(send.delivery.properties.headers[ContactDue.retriesHeader]?.intValue ?? 0) + 1
        guard retries <= dependencies.configuration.maxSendRetries else {
            try await giveUp(send.delivery, send.item, reason: "gave up after \(retries - 1) retries (\(reason))", kind: "delivery_failed")
            return
        }
        let tier = retryAfter.map(RetryTiers.waiting) ?? RetryTiers.backoff(forRetry: retries)
        var message = try ContactDue(contactID: send.item.contact.id, dueAt: send.item.contact.dueAt)
            .message(to: ReassureTopology.retryQueue(for: ReassureTopology.dispatchQueue, suffix: tier.suffix), retries: retries)
        message.properties.expiration = RetryTiers.milliseconds(tier.expiration)
        try await dependencies.store.touchSending([send.item.contact.id], error: reason)
        // Not confirmed: its message goes back to the queue, and this contact is sent again (with the same key) from there.
        if !(await connection.publish(message).isConfirmed) { returned.insert(send.delivery) }
        WorkerMetrics.count(stage, "retried")
    }

    /// A permanent refusal: try the other channel once if the victim has it, else fail to a person.
    private func fallBack(_ send: Send, reason: PermanentFailure) async throws {
        let other: Channel = send.message.channel == .sms ? .email : .sms
        if send.attempt.channel == send.item.contact.channel, send.event.victim?.contact?.address(for: other) != nil,
           let next = try await dependencies.store.fallbackAttempt(after: send.attempt, channel: other.rawValue, error: reason.rawValue) {
            var item = send.item
            item.contact.channel = other.rawValue
            let prepared = try await prepare(send.delivery, item, send.event, next)
            let results = await self.send(prepared)
            try await record(results, now: dependencies.clock.now())
            return
        }
        try await giveUp(send.delivery, send.item, reason: "refused by the provider: \(reason.rawValue)", kind: "delivery_failed")
    }

    /// Failed, recorded, and a task for a person.
    private func giveUp(_ delivery: Delivery, _ item: DispatchItem, reason: String, kind: String) async throws {
        let current = try await dependencies.store.contact(item.contact.id)?.state ?? item.contact.state
        if current.canMove(to: .failed) {
            _ = try await dependencies.store.failContact(
                item.contact.id, caseID: item.contact.caseID, from: current, error: reason,
                task: NewTask(kind: kind, reason: "a \(item.contact.stage) message could not be sent: \(reason)", language: item.contact.language))
        }
        settle(delivery, "failed")
    }

    /// This contact is done with; its message is acked with the batch.
    private func settle(_ delivery: Delivery, _ result: String) {
        WorkerMetrics.count(stage, result)
    }
}

/// Messages of a batch to return to the queue rather than ack: one of their contacts could not
/// be settled (the broker did not confirm its retry or dead letter). Used by one batch's task only.
final class ReturnedDeliveries {
    private var tags: Set<UInt64> = []

    func insert(_ delivery: Delivery) { tags.insert(delivery.deliveryTag) }
    func contains(_ delivery: Delivery) -> Bool { tags.contains(delivery.deliveryTag) }
}
