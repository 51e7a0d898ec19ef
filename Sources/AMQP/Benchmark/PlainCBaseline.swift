import CAMQPShim

/// The plain-C loops over rabbitmq-c (in the shim target) that the Swift wrapper is measured against.
public enum PlainCBaseline {
    public struct Result: Sendable {
        public let messages: Int
        public let seconds: Double
        public var perSecond: Double { seconds > 0 ? Double(messages) / seconds : 0 }
    }

    /// Publishes `count` persistent messages of `size` bytes to `queue` with confirms, `window` in flight.
    public static func publish(url: AMQPURL, queue: String, count: Int, size: Int, window: Int) throws -> Result {
        try check(reassure_c_bench_publish(url.host, Int32(url.port), url.user, url.password, url.vhost, queue,
                                           UInt64(count), size, Int32(window)), expected: count)
    }

    /// Consumes and acks `count` messages from `queue` with the given prefetch.
    public static func consume(url: AMQPURL, queue: String, count: Int, prefetch: Int) throws -> Result {
        try check(reassure_c_bench_consume(url.host, Int32(url.port), url.user, url.password, url.vhost, queue,
                                           UInt64(count), Int32(prefetch)), expected: count)
    }

    private static func check(_ result: reassure_c_bench_result, expected: Int) throws -> Result {
        guard result.error == 0, Int(result.messages) == expected else {
            throw AMQPError(.protocolError, "the plain C benchmark loop failed (status \(result.error), \(result.messages) of \(expected) messages)",
                            remedy: "check that the broker is running and the URL is right")
        }
        return Result(messages: Int(result.messages), seconds: result.seconds)
    }
}
