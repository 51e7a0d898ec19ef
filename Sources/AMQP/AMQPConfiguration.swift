/// How a connection reaches the broker and how patient it is. Defaults suit one machine.
public struct AMQPConfiguration: Sendable {
    public var url: AMQPURL
    /// Shown in the management UI (`connection_name`); name the process role, e.g. `reassure-worker-dispatch`.
    public var connectionName: String
    /// Heartbeat interval; a broker silent for two intervals is considered gone.
    public var heartbeat: Duration
    /// Limit for TCP connect, TLS and login together.
    public var connectTimeout: Duration
    /// Limit for each synchronous request (declare, consume, cancel).
    public var rpcTimeout: Duration
    /// Delays between reconnect attempts.
    public var reconnectBackoff: Backoff
    /// Publishes in flight before a publisher waits for confirms.
    public var confirmWindow: Int
    /// How long a publish waits for a lost connection to come back before it reports `.failed`.
    public var reconnectWaitLimit: Duration

    public init(
        url: AMQPURL, connectionName: String, heartbeat: Duration = .seconds(10), connectTimeout: Duration = .seconds(5),
        rpcTimeout: Duration = .seconds(10), reconnectBackoff: Backoff = Backoff(), confirmWindow: Int = 512,
        reconnectWaitLimit: Duration = .seconds(30)
    ) {
        self.url = url
        self.connectionName = connectionName
        self.heartbeat = url.heartbeatSeconds.map { .seconds($0) } ?? heartbeat
        self.connectTimeout = connectTimeout
        self.rpcTimeout = rpcTimeout
        self.reconnectBackoff = reconnectBackoff
        self.confirmWindow = max(1, confirmWindow)
        self.reconnectWaitLimit = reconnectWaitLimit
    }

    /// Reads `REASSURE_AMQP_URL` (default `amqp://guest:guest@127.0.0.1:5672/%2f`).
    public static func fromEnvironment(_ environment: [String: String], connectionName: String) throws -> Self {
        try Self(url: AMQPURL(environment["REASSURE_AMQP_URL"] ?? AMQPURL.defaultURL), connectionName: connectionName)
    }
}
