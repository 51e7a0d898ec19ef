import CRabbitMQ

/// Method ids (class << 16 | method) of the frames Reassure reacts to. rabbitmq-c defines them
/// as casted macros, which Swift does not import.
enum MethodID {
    static let connectionClose: UInt32 = 0x000A_0032
    static let connectionCloseOK: UInt32 = 0x000A_0033
    static let connectionBlocked: UInt32 = 0x000A_003C
    static let connectionUnblocked: UInt32 = 0x000A_003D
    static let channelClose: UInt32 = 0x0014_0028
    static let channelCloseOK: UInt32 = 0x0014_0029
    static let basicCancel: UInt32 = 0x003C_001E
    static let basicReturn: UInt32 = 0x003C_0032
    static let basicDeliver: UInt32 = 0x003C_003C
    static let basicAck: UInt32 = 0x003C_0050
    static let basicNack: UInt32 = 0x003C_0078
}

enum FrameType {
    static let method: UInt8 = 1
    static let header: UInt8 = 2
    static let body: UInt8 = 3
}

/// Where a failure happened decides what a broker refusal means (a 403 while logging in is a
/// wrong password; later it is a permission).
enum Phase {
    case login
    case operation(queue: String?)
}

extension AMQPError {
    /// Maps a library status code (negative `amqp_status_enum`).
    static func library(_ status: Int32, while phase: Phase) -> AMQPError {
        let text = String(cString: amqp_error_string2(status))
        switch Int(status) {
        case Int(AMQP_STATUS_TIMEOUT.rawValue):
            if case .login = phase {
                return AMQPError(.brokerUnreachable, "the broker did not complete the handshake within the connect timeout",
                                 remedy: "check that REASSURE_AMQP_URL points at a RabbitMQ node that is up and not overloaded")
            }
            return AMQPError(.timeout, "the broker did not answer in time (\(text))",
                             remedy: "check that the broker is running and not overloaded")
        case Int(AMQP_STATUS_SSL_ERROR.rawValue), Int(AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED.rawValue),
            Int(AMQP_STATUS_SSL_PEER_VERIFY_FAILED.rawValue), Int(AMQP_STATUS_SSL_CONNECTION_FAILED.rawValue):
            return AMQPError(.tlsFailure, "TLS with the broker failed (\(text))",
                             remedy: "check the CA file (?cacertfile=) and that the certificate names this host")
        case Int(AMQP_STATUS_CONNECTION_CLOSED.rawValue), Int(AMQP_STATUS_SOCKET_ERROR.rawValue),
            Int(AMQP_STATUS_SOCKET_CLOSED.rawValue), Int(AMQP_STATUS_HEARTBEAT_TIMEOUT.rawValue),
            Int(AMQP_STATUS_TCP_ERROR.rawValue):
            if case .login = phase {
                return AMQPError(.authenticationRefused, "the broker closed the connection during login (\(text))",
                                 remedy: "check the user name and password in REASSURE_AMQP_URL")
            }
            return AMQPError(.connectionLost, "the connection to the broker was lost (\(text))",
                             remedy: "it reconnects by itself; check the broker if this repeats")
        default:
            return AMQPError(.protocolError, "rabbitmq-c reported: \(text)",
                             remedy: "check the broker's log; this is likely a bug, please report it")
        }
    }

    /// Maps a `connection.close` or `channel.close` sent by the broker.
    static func broker(code: Int, text: String, channelLevel: Bool, while phase: Phase) -> AMQPError {
        let queue: String? = if case .operation(let queue) = phase { queue } else { nil }
        switch code {
        case 403 where !channelLevel:
            if case .login = phase {
                return AMQPError(.authenticationRefused, "the broker refused the login: \(text)",
                                 remedy: "check the user name and password in REASSURE_AMQP_URL")
            }
            return AMQPError(.accessRefused, "the broker refused access: \(text)",
                             remedy: "grant the user permissions on the vhost (rabbitmqctl set_permissions)")
        case 403:
            return AMQPError(.accessRefused, "the broker refused access: \(text)",
                             remedy: "grant the user configure/write/read permissions on the vhost", queue: queue)
        case 530 where text.contains("not found"):
            return AMQPError(.vhostNotFound, "the broker has no such vhost: \(text)",
                             remedy: "create it (rabbitmqctl add_vhost) or fix the vhost in REASSURE_AMQP_URL")
        case 530:
            return AMQPError(.accessRefused, "the broker refused the vhost: \(text)",
                             remedy: "grant the user access to the vhost (rabbitmqctl set_permissions)")
        case 406:
            let failure = PreconditionFailure(text)
            let name = failure.queue ?? queue
            return AMQPError(.preconditionFailed,
                             "queue '\(name ?? "?")' exists with a different argument '\(failure.argument ?? "?")': \(text)",
                             remedy: "delete the queue after draining it, or change the configuration to match",
                             queue: name, argument: failure.argument)
        case 404:
            return AMQPError(.channelClosed, "the broker has no such exchange or queue: \(text)",
                             remedy: "declare the topology first (it is declared on start)", queue: queue)
        case 320:
            return AMQPError(.connectionLost, "the broker closed the connection: \(text)",
                             remedy: "it reconnects by itself; check the broker if this repeats")
        default:
            return AMQPError(channelLevel ? .channelClosed : .connectionLost,
                             "the broker closed the \(channelLevel ? "channel" : "connection"): \(code) \(text)",
                             remedy: "check the broker's log", queue: queue)
        }
    }

    /// Maps the reply of a synchronous call; `nil` when it succeeded.
    static func from(_ reply: amqp_rpc_reply_t, while phase: Phase) -> AMQPError? {
        // amqp_response_type_enum: 1 normal, 2 library exception, 3 server exception (0: EOF).
        switch reply.reply_type.rawValue {
        case 1:
            return nil
        case 2:
            return .library(reply.library_error, while: phase)
        case 3:
            guard let decoded = reply.reply.decoded else { break }
            if reply.reply.id == MethodID.connectionClose {
                let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                return .broker(code: Int(close.reply_code), text: close.reply_text.string, channelLevel: false, while: phase)
            }
            if reply.reply.id == MethodID.channelClose {
                let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return .broker(code: Int(close.reply_code), text: close.reply_text.string, channelLevel: true, while: phase)
            }
        default:
            break
        }
        return AMQPError(.protocolError, "unexpected reply from the broker", remedy: "check the broker's log")
    }
}

/// The queue and argument named in a RabbitMQ PRECONDITION_FAILED text, e.g.
/// "inequivalent arg 'x-delivery-limit' for queue 'reassure.dispatch' in vhost '/': …".
struct PreconditionFailure: Equatable {
    var argument: String?
    var queue: String?

    init(_ text: String) {
        argument = Self.quoted(after: "inequivalent arg '", in: text)
        queue = Self.quoted(after: "for queue '", in: text)
    }

    private static func quoted(after marker: String, in text: String) -> String? {
        guard let start = text.range(of: marker)?.upperBound,
              let end = text[start...].firstIndex(of: "'") else { return nil }
        return String(text[start..<end])
    }
}

extension amqp_bytes_t {
    /// Copies the bytes out; rabbitmq-c's buffers are reused after the next read.
    var string: String {
        guard len > 0, let bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: len), as: UTF8.self)
    }

    var array: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }
}
