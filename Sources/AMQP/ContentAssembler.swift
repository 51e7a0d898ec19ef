/// Joins a `basic.deliver` (or `basic.return`) with its content header and body frames.
///
/// AMQP sends a message as a method frame, a header frame with the body size and properties,
/// then body frames until that size is reached; other channels' frames may come in between,
/// so there is one assembler per channel.
struct ContentAssembler {
    struct Started {
        var deliveryTag: UInt64
        var redelivered: Bool
        var exchange: String
        var routingKey: String
        /// Content of a returned message is read and dropped.
        var discard: Bool
    }

    private var started: Started?
    private var properties = MessageProperties()
    private var expected: UInt64 = 0
    private var body: [UInt8] = []

    var isIdle: Bool { started == nil }

    mutating func start(_ method: Started) {
        started = method
        body.removeAll(keepingCapacity: true)
    }

    /// Returns the finished message when the header says the body is empty.
    mutating func header(bodySize: UInt64, properties: MessageProperties) -> (Started, MessageProperties, [UInt8])? {
        guard started != nil else { return nil }
        self.properties = properties
        expected = bodySize
        body.reserveCapacity(Int(bodySize))
        return finishIfComplete()
    }

    /// Appends a body frame; returns the finished message when the body is complete.
    mutating func body(_ bytes: UnsafeRawBufferPointer) -> (Started, MessageProperties, [UInt8])? {
        guard started != nil else { return nil }
        body.append(contentsOf: bytes)
        return finishIfComplete()
    }

    mutating func reset() {
        started = nil
        body = []
    }

    private mutating func finishIfComplete() -> (Started, MessageProperties, [UInt8])? {
        guard let method = started, UInt64(body.count) >= expected else { return nil }
        started = nil
        let finished = body
        body = []
        return (method, properties, finished)
    }
}
