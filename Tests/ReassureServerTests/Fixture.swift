import AMQP
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ReassureServer
import ReassureStore
import Synchronization
import Testing

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A producer service over a fresh SQLite store and the test broker (in a vhost of its own, so
/// these tests never feed the workers' queues), with every log line captured.
struct ServerFixture {
    static let key = [UInt8](repeating: 9, count: 32)
    static let webhookSecret = "test-webhook-secret"

    let store: Store
    let storePath: String
    let broker: BrokerLink
    let relay: OutboxRelay
    let metrics: ServerMetrics
    let configuration: ServerConfiguration
    let logs: LogCapture
    let amqpURL: String
    let app: Application<RouterResponder<ServerRequestContext>>

    static func make(amqpURL: String? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> ServerFixture {
        // A peer closing a socket must fail the write, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        let url: String
        if let amqpURL { url = amqpURL } else { url = try await TestBroker.vhostURL() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)/reassure.sqlite").path
        let store = try await Store.open(environment: ["REASSURE_STORE_URL": "sqlite://\(path)",
                                                      "REASSURE_DATA_KEY": Data(key).base64EncodedString()])
        let logs = LogCapture()
        let logger = logs.logger("reassure.serve.test")
        let amqp = try AMQPConfiguration(url: AMQPURL(url), connectionName: "serve-test-\(UUID().uuidString.prefix(8))",
                                         reconnectBackoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(500)))
        let broker = BrokerLink(configuration: amqp, logger: logger)
        let metrics = ServerMetrics()
        let relay = OutboxRelay(store: store, broker: broker, batchSize: 200, idleInterval: .milliseconds(200), metrics: metrics, logger: logger)
        var configuration = ServerConfiguration(port: 0, webhookSecret: webhookSecret)
        configure(&configuration)
        let app = buildApplication(configuration: configuration,
                                   dependencies: ServerDependencies(store: store, broker: broker, relay: relay, metrics: metrics),
                                   logger: logger)
        return ServerFixture(store: store, storePath: path, broker: broker, relay: relay, metrics: metrics, configuration: configuration,
                             logs: logs, amqpURL: url, app: app)
    }

    func token(_ role: String, name: String? = nil) async throws -> String {
        try await store.createToken(name: name ?? "\(role)-\(UUID().uuidString.prefix(6))", role: role)
    }

    func close() async {
        await broker.close()
        await store.close()
        try? FileManager.default.removeItem(atPath: (storePath as NSString).deletingLastPathComponent)
    }

    /// The SQLite file and its write-ahead log, as raw bytes.
    func storeBytes() -> Data {
        (FileManager.default.contents(atPath: storePath) ?? Data()) + (FileManager.default.contents(atPath: storePath + "-wal") ?? Data())
    }

    /// A queue of this test's own, bound to `exchange`, to see what the service published.
    func tap(_ exchange: String = ReassureTopology.eventsExchange) async throws -> (AMQPConnection, String) {
        let queue = "test.serve.\(UUID().uuidString.prefix(8))"
        let topology = Topology(
            exchanges: [.init(exchange, kind: .topic)], queues: [.quorum(queue, deliveryLimit: 20, deadLetterExchange: "")],
            bindings: [.init(queue: queue, exchange: exchange, routingKey: "#")])
        let connection = try await AMQPConnection.connect(
            AMQPConfiguration(url: AMQPURL(amqpURL), connectionName: "serve-test-tap-\(queue.suffix(8))"), topology: topology)
        return (connection, queue)
    }
}

/// Everything logged through the fixture's logger.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String, file: String,
                 function: String, line: UInt) {
            let all = self.metadata.merging(explicit ?? [:]) { $1 }
            capture.append("\(level) \(message) \(all.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
        }
    }
}

enum TestBroker {
    static var baseURL: String { ProcessInfo.processInfo.environment["REASSURE_TEST_AMQP_URL"] ?? AMQPURL.defaultURL }
    static var node: String? { ProcessInfo.processInfo.environment["REASSURE_TEST_RABBITMQ_NODE"] }

    /// The vhost `serve-tests` on the test broker, made once per test process.
    static func vhostURL() async throws -> String {
        try await VhostMaker.shared.url()
    }

    actor VhostMaker {
        static let shared = VhostMaker()
        var made: String?

        func url() async throws -> String {
            if let made { return made }
            guard let node = TestBroker.node else { throw TestFailure("REASSURE_TEST_RABBITMQ_NODE is not set: run through deploy/test.sh") }
            let vhost = "serve-tests"
            _ = try? await runBlocking("/usr/sbin/rabbitmqctl", ["-n", node, "-q", "add_vhost", vhost])
            try await runBlocking("/usr/sbin/rabbitmqctl", ["-n", node, "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"])
            var base = TestBroker.baseURL
            if let slash = base.lastIndex(of: "/") { base = String(base[..<slash]) }
            made = base + "/" + vhost
            return made!
        }
    }
}

/// Runs a program to completion on a thread of its own (never on the cooperative pool), with
/// posix_spawn and waitpid: Foundation's `Process` sometimes never notices a child's exit when
/// several run at once. Standard output goes through a temporary file, not a pipe, so a daemon
/// the program leaves behind (the broker) cannot hold it open.
@discardableResult
func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> String {
    let (status, output) = await withCheckedContinuation { (continuation: CheckedContinuation<(Int32, String), Never>) in
        Thread { continuation.resume(returning: spawnAndWait(executable, arguments, environment: environment)) }.start()
    }
    guard status == 0 else { throw TestFailure("\(executable) \(arguments.prefix(4).joined(separator: " ")) failed (\(status))") }
    return output
}

private func spawnAndWait(_ executable: String, _ arguments: [String], environment: [String: String]?) -> (Int32, String) {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString).out").path
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0)=\($1)") } + [nil]
    defer {
        argv.forEach { free($0) }
        env.forEach { free($0) }
    }
    var pid: pid_t = 0
    guard posix_spawn(&pid, executable, &actions, nil, argv, env) == 0 else { return (-1, "") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    let exited = status & 0x7f == 0
    return (exited ? (status >> 8) & 0xff : -1, output)
}

/// Reads what arrived on `queue` until `done` says enough, or fails after `timeout`.
func drain(_ connection: AMQPConnection, queue: String, timeout: Duration = .seconds(30),
           until done: @escaping @Sendable ([Delivery]) -> Bool) async throws -> [Delivery] {
    let consumer = try await connection.consume(queue: queue, prefetch: 500)
    let received = try await withThrowingTaskGroup(of: [Delivery]?.self) { group in
        group.addTask {
            var received: [Delivery] = []
            if done(received) { return received }
            for try await delivery in consumer.deliveries {
                received.append(delivery)
                consumer.ack(delivery)
                if done(received) { return received }
            }
            return received
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let received = first else {
            throw TestFailure("timed out after \(timeout) waiting for messages on \(queue)")
        }
        return received
    }
    await consumer.cancel()
    return received
}

/// Waits until `condition` holds, polling, or fails after `timeout`.
func eventually(_ what: String, timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestFailure("timed out after \(timeout) waiting until \(what)")
}

// MARK: - Requests

func json(_ object: Any) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
}

func bearer(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)", .contentType: "application/json"]
}

extension TestResponse {
    var object: [String: Any] {
        guard let data = body.getData(at: body.readerIndex, length: body.readableBytes) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }

    /// `[(path, problem)]` of an error body.
    var problems: [(path: String, problem: String)] {
        (object["problems"] as? [[String: String]] ?? []).map { ($0["path"] ?? "", $0["problem"] ?? "") }
    }
}

/// A valid case.reported event, as an integrator would send it.
func reportedEvent(id: String, reference: String = "CAS 123/11/2026", phone: String = "+27821234567") -> [String: Any] {
    [
        "id": id, "type": "case.reported", "occurred_at": "2026-11-20T09:30:00Z",
        "case": ["reference": reference, "unit": "pretoria-central-vsu", "category": "business_robbery", "priority": "enhanced"],
        "victim": [
            "ref": "V-88231", "given_name": "Amina", "languages": ["so", "en"], "timezone": "Africa/Johannesburg",
            "contact": ["sms": phone, "email": "amina@example.org"], "preferred_channel": "sms",
            "safe_to_contact": "yes", "consent": ["status": "given", "at": "2026-11-20T09:40:00Z", "method": "verbal", "language": "so"],
            "windows": [["days": "mon-fri", "from": "09:00", "to": "17:00"]],
        ],
        "officer": ["name": "Sgt N. Dlamini", "phone": "+27123456789"],
    ]
}

func uniqueID(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }
