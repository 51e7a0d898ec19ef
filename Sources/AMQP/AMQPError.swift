/// A failure talking to RabbitMQ: what happened and what to do about it.
///
/// `description` is safe to log: it never contains passwords or message bodies.
public struct AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// The broker refused the user name or password.
        case authenticationRefused
        /// The virtual host in the URL does not exist on the broker.
        case vhostNotFound
        /// The user may not use the vhost, exchange or queue.
        case accessRefused
        /// A redeclaration differs from what the broker already has.
        case preconditionFailed
        /// An established connection died (socket closed, heartbeat missed, broker closed it).
        case connectionLost
        /// Nothing answered at the broker's address within the connect timeout.
        case brokerUnreachable
        /// The broker did not answer a request in time.
        case timeout
        /// The broker closed a channel (for example: a missing exchange or queue).
        case channelClosed
        /// The broker cancelled a consumer (its queue was deleted, or the node went away).
        case consumerCancelled
        /// TLS could not be set up or the broker's certificate was not trusted.
        case tlsFailure
        /// The URL could not be understood.
        case invalidURL
        /// The connection was closed by this process.
        case closed
        /// The broker or library broke the protocol.
        case protocolError
    }

    public let code: Code
    /// What happened, with names (queue, argument, host) but never secrets.
    public let message: String
    /// What an operator can do about it.
    public let remedy: String
    /// The queue concerned, when there is one.
    public var queue: String?
    /// For `.preconditionFailed`: the argument whose value differs from the broker's.
    public var argument: String?

    public init(_ code: Code, _ message: String, remedy: String, queue: String? = nil, argument: String? = nil) {
        self.code = code
        self.message = message
        self.remedy = remedy
        self.queue = queue
        self.argument = argument
    }

    public var description: String { "\(message) (\(code.rawValue)); \(remedy)" }
}
