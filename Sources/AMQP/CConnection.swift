import CAMQPShim
import CRabbitMQ
import Foundation

/// One rabbitmq-c connection. Not thread-safe: only `AMQPConnection` uses it, on its own thread.
final class CConnection {
    let state: amqp_connection_state_t
    let scratch = ScratchPool()
    private var destroyed = false
    /// Batched publishes (`CConnection+BatchPublish`): TLS connections publish one at a time.
    let usesTLS: Bool
    var outbound: [UInt8] = []
    /// Room for one message's encoded properties: at most a frame (the size asked for at login).
    var propertyBuffer = [UInt8](repeating: 0, count: 131_072)

    /// Opens the socket, logs in and sets the time limits; every step is bounded by a timeout.
    init(url: AMQPURL, name: String, heartbeatSeconds: Int, connectTimeout: Duration, rpcTimeout: Duration) throws {
        guard let state = amqp_new_connection() else {
            throw AMQPError(.protocolError, "rabbitmq-c could not allocate a connection", remedy: "check free memory")
        }
        self.state = state
        usesTLS = url.useTLS
        do {
            try open(url: url, name: name, heartbeatSeconds: heartbeatSeconds, connectTimeout: connectTimeout,
                     rpcTimeout: rpcTimeout)
        } catch {
            destroy()
            throw error
        }
    }

    deinit { destroy() }

    private func open(url: AMQPURL, name: String, heartbeatSeconds: Int, connectTimeout: Duration, rpcTimeout: Duration) throws {
        let socket: OpaquePointer?
        if url.useTLS {
            socket = amqp_ssl_socket_new(state)
            if let socket {
                amqp_ssl_socket_set_verify_peer(socket, url.verifyPeer ? 1 : 0)
                amqp_ssl_socket_set_verify_hostname(socket, url.verifyPeer ? 1 : 0)
                if let file = url.caCertificateFile, amqp_ssl_socket_set_cacert(socket, file) != 0 {
                    throw AMQPError(.tlsFailure, "the CA file given by ?cacertfile= could not be read",
                                    remedy: "give a readable PEM file of the broker's certificate authority")
                }
            }
        } else {
            socket = amqp_tcp_socket_new(state)
        }
        guard let socket else {
            throw AMQPError(.protocolError, "rabbitmq-c could not create a socket", remedy: "check free memory")
        }
        var connectLimit = Self.cTimeval(connectTimeout)
        var rpcLimit = Self.cTimeval(rpcTimeout)
        amqp_set_handshake_timeout(state, &connectLimit)
        amqp_set_rpc_timeout(state, &rpcLimit)
        let status = amqp_socket_open_noblock(socket, url.host, Int32(url.port), &connectLimit)
        if status != AMQP_STATUS_OK.rawValue {
            if Int(status) <= Int(AMQP_STATUS_SSL_ERROR.rawValue), Int(status) > Int(_AMQP_STATUS_SSL_NEXT_VALUE.rawValue) {
                throw AMQPError.library(status, while: .login)
            }
            let text = String(cString: amqp_error_string2(status))
            throw AMQPError(.brokerUnreachable, "the broker at \(url.host):\(url.port) is unreachable (\(text))",
                            remedy: "start the broker (deploy/rabbitmq-start.sh) or fix the host and port in REASSURE_AMQP_URL")
        }
        var reply = amqp_rpc_reply_t()
        reassure_amqp_login(UnsafeMutableRawPointer(state), url.vhost, 0, 131_072, Int32(heartbeatSeconds), url.user,
                            url.password, name, &reply)
        if let error = AMQPError.from(reply, while: .login) { throw error }
    }

    func destroy() {
        guard !destroyed else { return }
        destroyed = true
        amqp_destroy_connection(state)
    }

    /// Closes politely (best effort, bounded by the rpc timeout), then frees the connection.
    func close() {
        guard !destroyed else { return }
        _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        destroy()
    }

    var socketDescriptor: Int32 { amqp_get_sockfd(state) }

    /// True when rabbitmq-c already holds bytes or frames that a read would return without I/O.
    var hasBufferedInput: Bool {
        amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0
    }

    func rpcResult(_ phase: Phase) throws {
        if let error = AMQPError.from(amqp_get_rpc_reply(state), while: phase) { throw error }
    }

    // MARK: Channels

    func openChannel(_ channel: UInt16) throws {
        amqp_channel_open(state, channel)
        try rpcResult(.operation(queue: nil))
    }

    func closeChannel(_ channel: UInt16) {
        _ = amqp_channel_close(state, channel, AMQP_REPLY_SUCCESS)
    }

    /// Answers a `channel.close` the broker sent, as the protocol requires.
    func acknowledgeChannelClose(_ channel: UInt16) {
        var ok = amqp_channel_close_ok_t(dummy: 0)
        _ = amqp_send_method(state, channel, MethodID.channelCloseOK, &ok)
    }

    /// Answers a `connection.close` the broker sent.
    func acknowledgeConnectionClose() {
        var ok = amqp_connection_close_ok_t(dummy: 0)
        _ = amqp_send_method(state, 0, MethodID.connectionCloseOK, &ok)
    }

    func selectConfirms(_ channel: UInt16) throws {
        amqp_confirm_select(state, channel)
        try rpcResult(.operation(queue: nil))
    }

    func setPrefetch(_ channel: UInt16, count: UInt16) throws {
        amqp_basic_qos(state, channel, 0, count, 0)
        try rpcResult(.operation(queue: nil))
    }

    /// Starts a consumer with manual acks; returns the broker's consumer tag.
    func consume(_ channel: UInt16, queue: String) throws -> String {
        let ok = amqp_basic_consume(state, channel, scratch.bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table)
        defer { scratch.reset() }
        try rpcResult(.operation(queue: queue))
        return ok?.pointee.consumer_tag.string ?? ""
    }

    /// Cancels a consumer and waits for `cancel-ok`, so no delivery is in flight when the
    /// channel closes (rabbitmq-server#10327).
    func cancel(_ channel: UInt16, consumerTag: String) throws {
        amqp_basic_cancel(state, channel, scratch.bytes(consumerTag))
        scratch.reset()
        try rpcResult(.operation(queue: nil))
    }

    // MARK: Messages

    /// Sends one publish; returns a negative amqp status when the socket failed.
    func publish(_ channel: UInt16, _ message: OutgoingMessage) -> Int32 {
        defer { scratch.reset() }
        var properties = scratch.properties(message.properties)
        let exchange = scratch.bytes(message.exchange)
        let routingKey = scratch.bytes(message.routingKey)
        return message.body.withUnsafeBytes { body in
            let bytes = amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress))
            return amqp_basic_publish(state, channel, exchange, routingKey, message.mandatory ? 1 : 0, 0, &properties, bytes)
        }
    }

    func send(_ frame: AckCoalescer.Frame, channel: UInt16) -> Int32 {
        switch frame {
        case .ack(let tag, let multiple): amqp_basic_ack(state, channel, tag, multiple ? 1 : 0)
        case .nack(let tag, let requeue): amqp_basic_nack(state, channel, tag, 0, requeue ? 1 : 0)
        case .reject(let tag, let requeue): amqp_basic_reject(state, channel, tag, requeue ? 1 : 0)
        }
    }

    /// Reads one frame if one is ready now; serves heartbeats as a side effect.
    /// Returns `nil` when nothing is ready, throws when the connection is dead.
    func readFrame(_ handle: (IncomingFrame) -> Void) throws -> Bool {
        var frame = amqp_frame_t()
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &zero)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return false }
        guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError.library(status, while: .operation(queue: nil)) }
        handle(IncomingFrame(frame))
        return true
    }

    func releaseBuffers() {
        amqp_maybe_release_buffers(state)
    }

    static func cTimeval(_ duration: Duration) -> timeval {
        let (seconds, attoseconds) = duration.components
        return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
