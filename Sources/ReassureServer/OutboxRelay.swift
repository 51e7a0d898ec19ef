import AMQP
import Logging
import ReassureStore
import ServiceLifecycle

/// Moves accepted events from the store's outbox to `reassure.events`, with publisher
/// confirms, and marks them sent only once the broker confirmed them. An event the broker did
/// not confirm (broker down, connection lost mid-batch) stays in the outbox and goes again:
/// nothing accepted is lost; a redelivered copy carries the same message id (the event id), which
/// the scheduler deduplicates on.
///
/// Run one relay per store: two relays over one outbox would publish events twice (still
/// harmless downstream, but wasteful).
public final class OutboxRelay: Service, Sendable {
    private let store: Store
    private let broker: BrokerLink
    private let batchSize: Int
    private let idleInterval: Duration
    private let logger: Logger
    private let metrics: ServerMetrics?
    let wakeSignal = WakeSignal()

    public init(store: Store, broker: BrokerLink, batchSize: Int = 500, idleInterval: Duration = .seconds(1),
                metrics: ServerMetrics? = nil, logger: Logger) {
        self.store = store
        self.broker = broker
        self.batchSize = batchSize
        self.idleInterval = idleInterval
        self.metrics = metrics
        self.logger = logger
    }

    /// Tells the relay there is new work (after an ingest commit).
    public func wake() { wakeSignal.signal() }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let moved = await self.relayOnce()
                if moved == 0 { await self.wakeSignal.wait(timeout: self.idleInterval) }
            }
        }
        logger.info("outbox relay stopped")
    }

    /// One round: publish the oldest unsent events, mark the confirmed ones. Returns how many
    /// were confirmed (0 when idle or the broker or store is unavailable).
    @discardableResult
    public func relayOnce() async -> Int {
        let entries: [OutboxEntry]
        do {
            entries = try await store.pendingOutbox(limit: batchSize)
        } catch {
            logger.error("cannot read the outbox; retrying", metadata: ["error": "\(error)"])
            return 0
        }
        guard !entries.isEmpty else { return 0 }
        guard let connection = await broker.current() else { return 0 }
        let outcomes = await connection.publish(entries.map {
            EventEncoding.message(eventID: $0.eventID, routingKey: $0.routingKey, body: $0.payload)
        })
        let confirmed = entries.indices.filter { outcomes[$0].isConfirmed }.map { entries[$0].sequence }
        if confirmed.count < entries.count {
            let failure = outcomes.first { !$0.isConfirmed }.map { "\($0)" } ?? ""
            logger.warning("the broker did not confirm some events; they stay in the outbox and go again",
                           metadata: ["unconfirmed": "\(entries.count - confirmed.count)", "reason": "\(failure)"])
        }
        do {
            try await store.markOutboxSent(confirmed)
        } catch {
            // Confirmed but not marked: they go again later, with the same message ids.
            logger.error("cannot mark relayed events sent; they will be published again", metadata: ["error": "\(error)"])
            return 0
        }
        metrics?.relayed(confirmed.count)
        return confirmed.count
    }
}
