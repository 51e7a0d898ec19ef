import AMQP
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real broker started by `deploy/rabbitmq-start.sh` (the test script sets these).
enum Broker {
    static var url: String {
        ProcessInfo.processInfo.environment["REASSURE_TEST_AMQP_URL"] ?? AMQPURL.defaultURL
    }

    static var managementURL: String {
        ProcessInfo.processInfo.environment["REASSURE_TEST_RABBITMQ_MANAGEMENT"] ?? "http://127.0.0.1:15672"
    }

    static func configuration(_ name: String, url: String = Broker.url) throws -> AMQPConfiguration {
        try AMQPConfiguration(
            url: AMQPURL(url), connectionName: "\(name)-\(UUID().uuidString.prefix(8))",
            reconnectBackoff: Backoff(initial: .milliseconds(50), maximum: .seconds(1)))
    }

    static func connect(_ name: String, topology: Topology = Topology()) async throws -> AMQPConnection {
        try await AMQPConnection.connect(configuration(name), topology: topology)
    }

    /// A queue name no other test uses.
    static func uniqueQueue(_ purpose: String) -> String {
        "test.\(purpose).\(UUID().uuidString.prefix(8))"
    }

    /// Closes a connection the way an operator would: through the management API.
    static func forceClose(connectionNamed name: String) async throws {
        var names: [String] = []
        let deadline = Date().addingTimeInterval(15)
        // The management API lists a new connection after its stats interval; wait for it.
        while names.isEmpty && Date() < deadline {
            let data = try await management("GET", "/api/connections?columns=name,client_properties")
            let connections = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
            names = connections.compactMap { connection in
                let properties = connection["client_properties"] as? [String: Any]
                return properties?["connection_name"] as? String == name ? connection["name"] as? String : nil
            }
            if names.isEmpty { try await Task.sleep(for: .milliseconds(200)) }
        }
        guard !names.isEmpty else { throw TestFailure("connection \(name) never appeared in the management API") }
        for connection in names {
            let encoded = connection.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? connection
            _ = try await management("DELETE", "/api/connections/\(encoded)")
        }
    }

    static func management(_ method: String, _ path: String) async throws -> Data {
        var request = URLRequest(url: URL(string: managementURL + path)!)
        request.httpMethod = method
        request.setValue("Basic " + Data("guest:guest".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw TestFailure("management API \(method) \(path) answered \(status)") }
        return data
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads deliveries until `done` says so, failing after `timeout` instead of hanging.
func collect(
    from consumer: AMQPConsumer, timeout: Duration, until done: @escaping @Sendable ([Delivery]) -> Bool,
    onEach: @escaping @Sendable (Delivery, Int) async throws -> Void = { _, _ in }
) async throws -> [Delivery] {
    try await withThrowingTaskGroup(of: [Delivery]?.self) { group in
        group.addTask {
            var received: [Delivery] = []
            for try await delivery in consumer.deliveries {
                received.append(delivery)
                try await onEach(delivery, received.count)
                if done(received) { return received }
            }
            return received
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        guard let first = try await group.next(), let received = first else {
            group.cancelAll()
            throw TestFailure("timed out after \(timeout) waiting for deliveries")
        }
        group.cancelAll()
        return received
    }
}

func message(_ id: Int, to queue: String, size: Int = 64) -> OutgoingMessage {
    var body = Array("\(id):".utf8)
    body += Array(repeating: UInt8(ascii: "x"), count: max(0, size - body.count))
    return OutgoingMessage(routingKey: queue, body: body, properties: MessageProperties(messageId: "\(id)"))
}

func testQueue(_ name: String, deliveryLimit: Int = 20, deadLetterExchange: String = ReassureTopology.deadLetterExchange) -> Topology {
    Topology(queues: [.quorum(name, deliveryLimit: deliveryLimit, deadLetterExchange: deadLetterExchange)])
}
