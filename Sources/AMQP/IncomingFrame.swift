import CRabbitMQ

/// A frame read from the broker, copied into Swift values (rabbitmq-c reuses its buffers).
enum IncomingFrame {
    case deliver(channel: UInt16, deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String)
    case returned(channel: UInt16, replyCode: Int, replyText: String)
    case header(channel: UInt16, bodySize: UInt64, properties: MessageProperties)
    case body(channel: UInt16, bytes: UnsafeRawBufferPointer)
    case ack(channel: UInt16, tag: UInt64, multiple: Bool)
    case nack(channel: UInt16, tag: UInt64, multiple: Bool)
    case cancelled(channel: UInt16)
    case channelClosed(channel: UInt16, code: Int, text: String)
    case connectionClosed(code: Int, text: String)
    case blocked(reason: String)
    case unblocked
    case ignored

    /// Decodes `frame`. A `.body` points into rabbitmq-c's buffer: copy it before the next read.
    init(_ frame: amqp_frame_t) {
        let channel = frame.channel
        switch frame.frame_type {
        case FrameType.header:
            self = .header(channel: channel, bodySize: frame.payload.properties.body_size,
                           properties: FieldTableDecoding.properties(frame.payload.properties.decoded))
        case FrameType.body:
            let fragment = frame.payload.body_fragment
            self = .body(channel: channel, bytes: UnsafeRawBufferPointer(start: fragment.bytes, count: fragment.len))
        case FrameType.method:
            self = Self.method(frame.payload.method, channel: channel)
        default:
            self = .ignored
        }
    }

    private static func method(_ method: amqp_method_t, channel: UInt16) -> IncomingFrame {
        guard let decoded = method.decoded else { return .ignored }
        switch method.id {
        case MethodID.basicDeliver:
            let deliver = decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            return .deliver(channel: channel, deliveryTag: deliver.delivery_tag, redelivered: deliver.redelivered != 0,
                            exchange: deliver.exchange.string, routingKey: deliver.routing_key.string)
        case MethodID.basicAck:
            let ack = decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            return .ack(channel: channel, tag: ack.delivery_tag, multiple: ack.multiple != 0)
        case MethodID.basicNack:
            let nack = decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            return .nack(channel: channel, tag: nack.delivery_tag, multiple: nack.multiple != 0)
        case MethodID.basicReturn:
            let returned = decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            return .returned(channel: channel, replyCode: Int(returned.reply_code), replyText: returned.reply_text.string)
        case MethodID.basicCancel:
            return .cancelled(channel: channel)
        case MethodID.channelClose:
            let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            return .channelClosed(channel: channel, code: Int(close.reply_code), text: close.reply_text.string)
        case MethodID.connectionClose:
            let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            return .connectionClosed(code: Int(close.reply_code), text: close.reply_text.string)
        case MethodID.connectionBlocked:
            let blocked = decoded.assumingMemoryBound(to: amqp_connection_blocked_t.self).pointee
            return .blocked(reason: blocked.reason.string)
        case MethodID.connectionUnblocked:
            return .unblocked
        default:
            return .ignored
        }
    }
}
