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
        await cancelWhenGracefulShutdown { await self.relayContinuously() }
        logger.info("outbox relay stopped")
    }

    /// Batches sent and not yet confirmed at once. The next batch is read while one is sent and
    /// sent while earlier ones await their confirms: one batch at a time left the broker idle for
    /// every read, confirm round trip and mark (the relay confirmed 8k events/s where a plain
    /// publish reached 19k). Sending stays in one task, so events go out in outbox order.
    static let batchesInFlight = 3

    /// The confirm window the relay's connection needs: every batch in flight, whole. With the
    /// connection's default (512) the batches after the first went out a confirm at a time, and the
    /// broker spent more per message on such a trickle than on whole batches (`bench ingest`,
    /// interleaved: 10,311/11,179/12,785 events/s with 512 against 11,400/14,158/13,023 with 3,000).
    static func confirmWindow(batchSize: Int) -> Int { batchSize * batchesInFlight }

    /// `amqp` with a confirm window large enough for a relay of `batchSize` events a batch.
    public static func connectionConfiguration(_ amqp: AMQPConfiguration, batchSize: Int) -> AMQPConfiguration {
        var configuration = amqp
        configuration.confirmWindow = max(amqp.confirmWindow, confirmWindow(batchSize: batchSize))
        return configuration
    }
    /// How long the relay may read on past unconfirmed batches before it waits for them and
    /// reads again from the oldest unsent event. That re-read finds events a reader past them
    /// missed: on PostgreSQL a sequence number is taken before its transaction commits, so an
    /// event can become visible behind a later one already read.
    static let rescanInterval: Duration = .seconds(1)

    private func relayContinuously() async {
        await withTaskGroup(of: Bool.self) { confirming in
            var inFlight = 0
            // Read after this sequence; nil: from the oldest unsent event.
            var cursor: Int64?
            var nextRead: Task<[OutboxEntry], any Error>?
            var lastRescan = ContinuousClock.now
            var troubled = false
            // Caught up with batches still unconfirmed: let them settle, then read from the oldest.
            var caughtUp = false
            while !Task.isCancelled {
                let dueForRescan = ContinuousClock.now - lastRescan > Self.rescanInterval
                if inFlight > 0, inFlight >= Self.batchesInFlight || troubled || caughtUp || dueForRescan {
                    if await confirming.next() == false { troubled = true }
                    inFlight -= 1
                    continue
                }
                if inFlight == 0 {
                    caughtUp = false
                    // Nothing unconfirmed: read from the oldest unsent (a failed batch's events too).
                    if cursor != nil { _ = try? await nextRead?.value }
                    cursor = nil
                    nextRead = nil
                    lastRescan = ContinuousClock.now
                }
                if troubled {
                    // The broker or the store failed: pause before going again.
                    troubled = false
                    await wakeSignal.wait(timeout: idleInterval)
                    continue
                }
                let entries: [OutboxEntry]
                do {
                    let read = nextRead ?? Task { [store, batchSize, cursor] in try await store.pendingOutbox(limit: batchSize, after: cursor) }
                    nextRead = nil
                    entries = try await read.value
                } catch {
                    logger.error("cannot read the outbox; retrying", metadata: ["error": "\(error)"])
                    troubled = true
                    continue
                }
                guard let last = entries.last else {
                    if inFlight > 0 { caughtUp = true } else { await wakeSignal.wait(timeout: idleInterval) }
                    continue
                }
                guard let connection = await broker.current() else {
                    troubled = true
                    continue
                }
                cursor = last.sequence
                nextRead = Task { [store, batchSize] in try await store.pendingOutbox(limit: batchSize, after: last.sequence) }
                let sent = await connection.send(Self.messages(entries))
                inFlight += 1
                confirming.addTask { await self.settle(entries, sent: sent, on: connection) == entries.count }
            }
            _ = try? await nextRead?.value
        }
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
        return await settle(entries, sent: connection.send(Self.messages(entries)), on: connection)
    }

    private static func messages(_ entries: [OutboxEntry]) -> [OutgoingMessage] {
        entries.map { EventEncoding.message(eventID: $0.eventID, routingKey: $0.routingKey, body: $0.payload) }
    }

    /// Waits for the broker's word on a sent batch and marks the confirmed events sent; returns
    /// how many were confirmed and marked. The rest stay in the outbox and go again.
    private func settle(_ entries: [OutboxEntry], sent: SentBatch, on connection: AMQPConnection) async -> Int {
        let outcomes = await connection.outcomes(of: sent)
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
