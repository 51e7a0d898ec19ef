import AMQP
import Logging

/// The service's one publishing connection to RabbitMQ, made on first need rather than at
/// start, so `serve` starts (and keeps accepting events into its outbox) while the broker is
/// down. Once connected, `AMQPConnection` repairs itself; until then each caller that needs
/// the broker retries the first connect at most once a second.
public actor BrokerLink {
    private let configuration: AMQPConfiguration
    private let logger: Logger
    private var connection: AMQPConnection?
    private var connecting: Task<AMQPConnection?, Never>?
    private var nextAttempt = ContinuousClock.now
    private var closed = false
    /// Failed first connects since the last success: only the first is logged as a warning.
    private var failures = 0

    public init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The connection, connecting first if needed; nil while the broker cannot be reached.
    public func current() async -> AMQPConnection? {
        if let connection { return connection }
        if closed { return nil }
        if let connecting { return await connecting.value }
        guard ContinuousClock.now >= nextAttempt else { return nil }
        let configuration = configuration, logger = logger, quiet = failures > 0
        let attempt = Task<AMQPConnection?, Never> {
            do {
                return try await AMQPConnection.connect(configuration, topology: ReassureTopology.standard, logger: logger)
            } catch {
                logger.log(level: quiet ? .debug : .warning, "cannot reach RabbitMQ yet; events wait in the outbox; retrying every second",
                           metadata: ["error": "\(error)"])
                return nil
            }
        }
        connecting = attempt
        let result = await attempt.value
        connecting = nil
        connection = result
        if result == nil {
            failures += 1
            nextAttempt = ContinuousClock.now.advanced(by: .seconds(1))
        } else {
            failures = 0
        }
        return result
    }

    /// True when a connection is up right now (for `/ready`).
    public func isReachable() async -> Bool {
        guard let connection = await current() else { return false }
        return await connection.isConnected
    }

    public func close() async {
        closed = true
        if let connection { await connection.close() }
        connection = nil
    }
}
