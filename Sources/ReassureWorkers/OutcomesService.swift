import AMQP
import Foundation
import Logging
import ReassureCore
import ReassureGateways
import ReassureStore
import ServiceLifecycle

/// Records what providers report (queue `reassure.outcomes`): receipts move contacts forward
/// (never back), replies are matched to the victim through the store's blind index and acted
/// on — STOP opts out at once and is confirmed once, START opts back in, CALL/HELP make a
/// callback task (with the interpreter language), anything else a task to read the reply.
public struct OutcomesService: Service {
    let dependencies: WorkerDependencies
    static let stage = "outcomes"
    /// Times a receipt for an attempt the store does not know yet is retried before it is dead-lettered.
    static let unknownReceiptRetries = 5

    public init(dependencies: WorkerDependencies) {
        self.dependencies = dependencies
    }

    public func run() async throws {
        let connection = try await dependencies.connect(Self.stage)
        let loop = ConsumerLoop(queue: ReassureTopology.outcomesQueue, prefetch: dependencies.configuration.prefetch,
                                batchSize: dependencies.configuration.batchSize, logger: dependencies.logger, weight: BatchedMessage.count)
        try await loop.run(on: connection) { batch, consumer in
            try await process(batch, consumer: consumer, connection: connection)
        }
        await connection.close()
    }

    func process(_ batch: [Delivery], consumer: AMQPConsumer, connection: AMQPConnection) async throws {
        let decoder = WireCoding.decoder()
        var receipts: [(Delivery, GatewayReceipt)] = []
        for delivery in batch {
            // By routing key; a replayed dead letter arrives with its queue's name as key, so
            // anything else is recognised by its shape.
            let body = Data(delivery.body)
            let asReceipts = delivery.routingKey != InboundReply.routingKey ? Self.receipts(in: body) : nil
            let asReply = asReceipts == nil && delivery.routingKey != GatewayReceipt.routingKey
                ? try? decoder.decode(InboundReply.self, from: body) : nil
            if let asReceipts {
                receipts += asReceipts.map { (delivery, $0) }
            } else if let reply = asReply {
                if try await handle(reply) {
                    _ = consumer.ack(delivery)
                    WorkerMetrics.count(Self.stage, "processed")
                } else {
                    await DeadLetters.send(delivery, reason: "reply from an address no victim has", from: consumer, via: connection,
                                           logger: dependencies.logger)
                    WorkerMetrics.count(Self.stage, "dead_lettered")
                }
            } else {
                await DeadLetters.send(delivery, reason: "malformed \(delivery.routingKey) message", from: consumer, via: connection,
                                       logger: dependencies.logger)
                WorkerMetrics.count(Self.stage, "dead_lettered")
            }
        }
        guard !receipts.isEmpty else { return }
        let unknown = try await dependencies.store.recordReceipts(receipts.map { _, receipt in
            AttemptOutcome(idempotencyKey: receipt.idempotencyKey, status: AttemptOutcome.Status(rawValue: receipt.status.rawValue) ?? .sent,
                           providerMessageID: receipt.providerMessageID, error: receipt.error, at: receipt.at)
        })
        WorkerMetrics.count(Self.stage, "processed", by: receipts.count - receipts.filter { unknown.contains($0.1.idempotencyKey) }.count)
        // A message is settled once: its receipts the store does not know yet (they overtook the
        // record of their own send: the provider was fast) go back through a retry tier together.
        var early: [UInt64: [GatewayReceipt]] = [:]
        var carried: [UInt64: Int] = [:]
        for (delivery, _) in receipts { carried[delivery.deliveryTag, default: 0] += 1 }
        for (delivery, receipt) in receipts where unknown.contains(receipt.idempotencyKey) { early[delivery.deliveryTag, default: []].append(receipt) }
        var settled: Set<UInt64> = []
        for (delivery, _) in receipts where settled.insert(delivery.deliveryTag).inserted {
            guard let early = early[delivery.deliveryTag] else {
                _ = consumer.ack(delivery)
                continue
            }
            // All of a message's receipts came early: retry it as it was; else only the early ones.
            let body = early.count == carried[delivery.deliveryTag] ? delivery.body : ((try? WireCoding.encode(early)) ?? [])
            switch await DeadLetters.retryLater(body, of: delivery, limit: Self.unknownReceiptRetries,
                                                reason: "receipt for an attempt the store does not know", stage: Self.stage,
                                                queue: consumer.queue, via: connection, logger: dependencies.logger) {
            case .confirmed: _ = consumer.ack(delivery)
            case .notConfirmed: _ = consumer.nack(delivery, requeue: true)
            }
        }
    }

    /// The receipts a message carries: one (from the webhook) or an array (from in-process stubs).
    static func receipts(in body: Data) -> [GatewayReceipt]? {
        guard let value = try? JSONValue.parse(body) else { return nil }
        if case .array = value {
            guard let receipts = try? JSONValueDecoder().decode([GatewayReceipt].self, from: value), !receipts.isEmpty else { return nil }
            return receipts
        }
        return (try? JSONValueDecoder().decode(GatewayReceipt.self, from: value)).map { [$0] }
    }


    /// Acts on a reply; false when no victim has the sender's number.
    private func handle(_ reply: InboundReply) async throws -> Bool {
        let store = dependencies.store
        let now = dependencies.clock.now()
        guard let match = try await store.victimID(forPhone: reply.from), let snapshot = try await store.snapshot(caseID: match.caseID)
        else { return false }
        let intent = ReplyClassifier().classify(reply.text)
        let replyID = "reply:\(reply.provider):\(reply.providerMessageID)"
        let event = CaseRecords.event(from: snapshot, id: replyID)
        var contacts: [NewContact] = []
        var tasks: [NewTask] = []
        let interpreter = snapshot.languages.first.flatMap { first in
            first.lowercased().hasPrefix(dependencies.planner.policy.language(unit: snapshot.unit).lowercased()) ? nil : first
        }
        switch intent {
        case .stop:
            let confirmation = CaseRecords.newContacts(dependencies.planner.single(.optOutConfirmation, for: event, now: now, respectHours: false))
            try await store.recordReply(victimID: match.victimID, text: reply.text, intent: intent.rawValue, at: now)
            _ = try await store.optOutByReply(eventID: replyID, victimID: match.victimID, caseID: match.caseID, unit: snapshot.unit,
                                              confirmation: confirmation, at: now)
            return true
        case .start:
            if snapshot.optedOut { _ = try await store.setOptedOut(match.victimID, false, actor: "victim", at: now) }
        case .call, .help:
            tasks = [NewTask(kind: PersonTask.Kind.callback.rawValue,
                             reason: "the victim replied \(intent.rawValue.uppercased()): call back\(interpreter.map { " with an interpreter (\($0))" } ?? "")",
                             language: interpreter ?? snapshot.languages.first)]
            if !snapshot.optedOut {
                contacts = CaseRecords.newContacts(dependencies.planner.single(.helpReply, for: event, now: now, respectHours: false))
            }
        case .other:
            tasks = [NewTask(kind: PersonTask.Kind.unreadReply.rawValue, reason: "the victim replied: read the reply and decide what to do",
                             language: snapshot.languages.first)]
        }
        try await store.recordReply(victimID: match.victimID, text: reply.text, intent: intent.rawValue, at: now)
        _ = try await store.addContacts(eventID: replyID, contacts, tasks: tasks, caseID: match.caseID, victimID: match.victimID,
                                        unit: snapshot.unit, at: now)
        return true
    }
}
