import Logging
import Synchronization

/// One connection to RabbitMQ, with a publisher channel (confirms on) and any number of
/// consumer channels.
///
/// Every rabbitmq-c call runs on the connection's own thread (its executor), so the blocking C
/// library never blocks Swift's cooperative pool. When the connection dies it reconnects by
/// itself with backoff, re-declares the topology and resumes every consumer; publishes that were
/// in flight are reported `.failed` so the caller publishes them again. Keep publishing and
/// consuming on separate connections: a broker under memory alarm blocks publishing
/// connections, and acks must keep flowing.
public actor AMQPConnection {
    static let publishChannel: UInt16 = 1
    static let controlChannel: UInt16 = 2

    nonisolated let thread: ConnectionThread
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    public nonisolated let configuration: AMQPConfiguration
    let logger: Logger
    var connection: CConnection?
    /// Grows with every successful (re)connect; deliveries carry it so stale tags are never acked.
    let generationCounter = Atomic<UInt64>(0)
    var topology = Topology()
    var closing = false
    var blocked = false
    var publishChannelReady = false
    /// Tasks waiting for a state change (connected, unblocked, confirm window room, closing).
    var waiters: [CheckedContinuation<Void, Never>] = []
    var reconnecting: Task<Void, Never>?

    var tracker = ConfirmTracker<PublishToken>()
    var batches: [Int: PublishBatch] = [:]
    var nextBatchID = 0
    var returnAssembler = ContentAssembler()

    var consumers: [UInt16: ConsumerRegistration] = [:]
    var nextConsumerID: UInt64 = 0

    /// Connects, or throws a typed error (`.authenticationRefused`, `.vhostNotFound`,
    /// `.brokerUnreachable`, …) within the connect timeout. Later losses are repaired by itself.
    public static func connect(_ configuration: AMQPConfiguration, topology: Topology = Topology(),
                               logger: Logger = Logger(label: "reassure.amqp")) async throws -> AMQPConnection {
        let connection = AMQPConnection(configuration: configuration, topology: topology, logger: logger)
        try await connection.start()
        return connection
    }

    private init(configuration: AMQPConfiguration, topology: Topology, logger: Logger) {
        self.configuration = configuration
        self.topology = topology
        var logger = logger
        logger[metadataKey: "amqp_connection"] = "\(configuration.connectionName)"
        self.logger = logger
        thread = ConnectionThread(name: configuration.connectionName)
    }

    deinit {
        thread.stop()
    }

    private func start() throws {
        try establish()
        thread.setIdleHandler { [weak self] in
            guard let self else { return }
            self.assumeIsolated { $0.service() }
        }
        logger.info("connected to RabbitMQ", metadata: ["url": "\(configuration.url)"])
    }

    /// The generation of the current connection (0 before the first).
    public nonisolated var generation: UInt64 { generationCounter.load(ordering: .acquiring) }

    public var isConnected: Bool { connection != nil }

    /// True while the broker has blocked publishing (memory or disk alarm); publishers wait.
    public var isBlocked: Bool { blocked }

    /// Opens the socket, channels, topology and consumers. Throws without side effects on failure.
    func establish() throws {
        let fresh = try CConnection(
            url: configuration.url, name: configuration.connectionName,
            heartbeatSeconds: Int(configuration.heartbeat.components.seconds),
            connectTimeout: configuration.connectTimeout, rpcTimeout: configuration.rpcTimeout)
        do {
            try fresh.openChannel(Self.publishChannel)
            try fresh.selectConfirms(Self.publishChannel)
            try fresh.openChannel(Self.controlChannel)
            try fresh.declare(topology, on: Self.controlChannel)
            for channel in consumers.keys.sorted() {
                try fresh.openChannel(channel)
                try fresh.setPrefetch(channel, count: consumers[channel]!.prefetch)
                consumers[channel]!.consumerTag = try fresh.consume(channel, queue: consumers[channel]!.queue)
                consumers[channel]!.resetForNewChannel()
            }
        } catch {
            fresh.close()
            throw error
        }
        connection = fresh
        tracker = ConfirmTracker()
        returnAssembler.reset()
        publishChannelReady = true
        blocked = false
        generationCounter.add(1, ordering: .releasing)
        resumeWaiters()
    }

    /// Declares `topology` now and after every reconnect. Throws `.preconditionFailed` naming the
    /// queue and argument when the broker already has it with other arguments.
    public func declare(_ topology: Topology) throws {
        guard let connection else { throw Self.notConnected }
        do {
            try connection.declare(topology, on: Self.controlChannel)
        } catch let error as AMQPError where error.code != .connectionLost && error.code != .timeout {
            try recoverControlChannel(after: error)
            throw error
        }
        self.topology = self.topology.merged(with: topology)
    }

    /// Ready messages and consumers of a queue.
    public func inspect(queue: String) throws -> (messages: Int, consumers: Int) {
        try withControlChannel { try $0.inspect(queue: queue, on: Self.controlChannel) }
    }

    /// Removes every ready message from `queue`; returns how many.
    @discardableResult
    public func purge(queue: String) throws -> Int {
        try withControlChannel { try $0.purge(queue: queue, on: Self.controlChannel) }
    }

    public func delete(queue: String) throws {
        try withControlChannel { try $0.delete(queue: queue, on: Self.controlChannel) }
        topology.queues.removeAll { $0.name == queue }
        topology.bindings.removeAll { $0.queue == queue }
    }

    /// Removes an exchange and its bindings (benchmarks clean up their private routes).
    public func delete(exchange: String) throws {
        try withControlChannel { try $0.delete(exchange: exchange, on: Self.controlChannel) }
        topology.exchanges.removeAll { $0.name == exchange }
        topology.bindings.removeAll { $0.exchange == exchange }
    }

    private func withControlChannel<T>(_ body: (CConnection) throws -> T) throws -> T {
        guard let connection else { throw Self.notConnected }
        do {
            return try body(connection)
        } catch let error as AMQPError where error.code != .connectionLost && error.code != .timeout {
            try recoverControlChannel(after: error)
            throw error
        }
    }

    /// A failed request closed the control channel; answer the broker and open it again.
    private func recoverControlChannel(after error: AMQPError) throws {
        guard let connection else { return }
        connection.acknowledgeChannelClose(Self.controlChannel)
        do {
            try connection.openChannel(Self.controlChannel)
        } catch let reopenError as AMQPError {
            lose(reopenError)
        }
    }

    /// Cancels consumers (waiting for `cancel-ok`), closes channels and the connection. Publishes
    /// still unconfirmed are reported `.failed(.closed)`.
    public func close() {
        guard !closing else { return }
        closing = true
        reconnecting?.cancel()
        if let connection {
            flushSettlements()
            for channel in consumers.keys.sorted() {
                try? connection.cancel(channel, consumerTag: consumers[channel]!.consumerTag)
                connection.closeChannel(channel)
            }
            connection.closeChannel(Self.publishChannel)
            connection.close()
        }
        connection = nil
        resolve(tracker.failAll(Self.closedError))
        for registration in consumers.values { registration.continuation.finish() }
        consumers = [:]
        resumeWaiters()
        thread.setIdleHandler(nil)
        logger.info("closed the RabbitMQ connection")
    }

    func resumeWaiters() {
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.resume() }
    }

    func waitForChange() async {
        await withCheckedContinuation { waiters.append($0) }
    }

    static let closedError = AMQPError(.closed, "the AMQP connection was closed by this process",
                                       remedy: "open a new connection")
    static let notConnected = AMQPError(.connectionLost, "not connected to the broker right now",
                                        remedy: "it reconnects by itself; retry shortly")
}
