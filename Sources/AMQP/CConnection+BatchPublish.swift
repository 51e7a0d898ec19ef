import CRabbitMQ
import Foundation

/// Many publishes in one `send`: rabbitmq-c writes every publish as three `send` calls (method,
/// header, body frame), and those calls were about a tenth of the producer service's CPU in
/// `bench ingest`. The frames are laid out here exactly as `amqp_basic_publish` lays them out
/// (properties through rabbitmq-c's own encoder) and written to the socket together.
///
/// Plain TCP only: a TLS connection's bytes must go through rabbitmq-c's TLS socket, so there
/// each message still goes through `amqp_basic_publish`.
extension CConnection {
    /// Sends `messages` in order; returns `AMQP_STATUS_OK` or the first failure. After a failure
    /// any prefix of the messages may have reached the broker and the connection must be dropped
    /// (a frame may have been cut short).
    func publish(_ channel: UInt16, _ messages: ArraySlice<OutgoingMessage>) -> Int32 {
        guard !usesTLS, messages.count > 1 else {
            for message in messages {
                let status = publish(channel, message)
                guard status == AMQP_STATUS_OK.rawValue else { return status }
            }
            return AMQP_STATUS_OK.rawValue
        }
        outbound.removeAll(keepingCapacity: true)
        // 0 would mean no limit; RabbitMQ always names one (131,072 unless configured).
        let negotiated = Int(amqp_get_frame_max(state))
        let frameMax = negotiated > 0 ? negotiated : 131_072
        for message in messages {
            let status = appendFrames(of: message, channel: channel, frameMax: frameMax)
            guard status == AMQP_STATUS_OK.rawValue else { return status }
            // Large messages go out as they come rather than all held at once.
            if outbound.count >= Self.writeSize {
                let written = writeOutbound()
                guard written == AMQP_STATUS_OK.rawValue else { return written }
                outbound.removeAll(keepingCapacity: true)
            }
        }
        return outbound.isEmpty ? AMQP_STATUS_OK.rawValue : writeOutbound()
    }

    /// Bytes gathered before a write: a few thousand event-sized messages, and a bound on the
    /// buffer when messages are large.
    private static let writeSize = 1 << 22

    private static let frameEnd: UInt8 = 0xCE
    /// Frame type, channel and payload size before a payload; the end marker after it.
    private static let frameOverhead = 8
    private static let basicClass: UInt16 = 60
    private static let basicPublish: UInt16 = 40

    private func appendFrames(of message: OutgoingMessage, channel: UInt16, frameMax: Int) -> Int32 {
        guard message.exchange.utf8.count <= 255, message.routingKey.utf8.count <= 255 else {
            return AMQP_STATUS_BAD_AMQP_DATA.rawValue
        }
        // Method frame: basic.publish(reserved, exchange, routing key, mandatory, immediate).
        let method = beginFrame(type: UInt8(AMQP_FRAME_METHOD), channel: channel)
        append(Self.basicClass)
        append(Self.basicPublish)
        append(UInt16(0))
        appendShortString(message.exchange)
        appendShortString(message.routingKey)
        outbound.append(message.mandatory ? 1 : 0)
        endFrame(method)

        // Header frame: class, weight, body size, then the properties as rabbitmq-c encodes them.
        defer { scratch.reset() }
        var properties = scratch.properties(message.properties)
        let encoded = propertyBuffer.withUnsafeMutableBytes { buffer in
            amqp_encode_properties(Self.basicClass, &properties, amqp_bytes_t(len: buffer.count, bytes: buffer.baseAddress))
        }
        guard encoded >= 0 else { return encoded }
        // The header must fit one frame, as in `amqp_basic_publish`.
        guard Int(encoded) <= frameMax - Self.frameOverhead - 12 else { return AMQP_STATUS_TABLE_TOO_BIG.rawValue }
        let header = beginFrame(type: UInt8(AMQP_FRAME_HEADER), channel: channel)
        append(Self.basicClass)
        append(UInt16(0))
        append(UInt64(message.body.count))
        outbound.append(contentsOf: propertyBuffer[..<Int(encoded)])
        endFrame(header)

        // Body frames, each at most the negotiated frame size.
        let chunk = frameMax - Self.frameOverhead
        var offset = 0
        while offset < message.body.count {
            let end = min(message.body.count, offset + chunk)
            let body = beginFrame(type: UInt8(AMQP_FRAME_BODY), channel: channel)
            outbound.append(contentsOf: message.body[offset..<end])
            endFrame(body)
            offset = end
        }
        return AMQP_STATUS_OK.rawValue
    }

    /// Writes the frame's type and channel and room for its size; returns where the frame starts.
    private func beginFrame(type: UInt8, channel: UInt16) -> Int {
        let start = outbound.count
        outbound.append(type)
        append(channel)
        append(UInt32(0))
        return start
    }

    /// Fills in the payload size and closes the frame.
    private func endFrame(_ start: Int) {
        let size = UInt32(outbound.count - start - 7)
        withUnsafeBytes(of: size.bigEndian) { bytes in
            outbound.replaceSubrange(start + 3..<start + 7, with: bytes)
        }
        outbound.append(Self.frameEnd)
    }

    private func append<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.bigEndian) { outbound.append(contentsOf: $0) }
    }

    private func appendShortString(_ text: String) {
        outbound.append(UInt8(text.utf8.count))
        outbound.append(contentsOf: text.utf8)
    }

    /// Writes all of `outbound`, waiting while the socket is full for as long as it takes, as
    /// rabbitmq-c's own publish does: a broker under a resource alarm stops reading until the alarm
    /// clears, and giving up then would only reconnect into the same alarm.
    private func writeOutbound() -> Int32 {
        let descriptor = amqp_get_sockfd(state)
        return outbound.withUnsafeBytes { bytes -> Int32 in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if written > 0 {
                    offset += written
                    continue
                }
                if written == 0 { return AMQP_STATUS_SOCKET_ERROR.rawValue }
                switch errno {
                case EINTR:
                    continue
                case EAGAIN, EWOULDBLOCK:
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    let polled = poll(&ready, 1, -1)
                    if polled > 0 || (polled < 0 && errno == EINTR) { continue }
                    return AMQP_STATUS_SOCKET_ERROR.rawValue
                default:
                    return AMQP_STATUS_SOCKET_ERROR.rawValue
                }
            }
            return AMQP_STATUS_OK.rawValue
        }
    }
}
