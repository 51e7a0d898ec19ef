import AMQP
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ReassureCore
import ReassureStore
import ServiceLifecycle
import Synchronization

/// `reassure bench ingest`: the producer service in this process (a fresh SQLite store in a
/// temporary directory, the broker of `REASSURE_AMQP_URL`), driven over real HTTP by concurrent
/// clients posting batches until every event is confirmed at the broker; compared with a plain
/// confirmed publish of the same messages over the same kind of route (a topic exchange bound
/// `#` to a quorum queue, as `reassure.events` → `reassure.scheduler`), measured in the same run
/// before and after the service (the higher of the two). The default exchange, which routes
/// about a third cheaper, is measured too and reported for reference.
public struct IngestBenchmark: Sendable {
    public struct Options: Sendable {
        public var amqpURL: AMQPURL
        public var events = 100_000
        public var batch = 100
        public var clients = 8
        public var port = 18_089
        /// Remove the benchmark's events from `reassure.scheduler` afterwards.
        public var purge = true

        public init(amqpURL: AMQPURL) { self.amqpURL = amqpURL }
    }

    public struct Figures: Sendable {
        public var eventsPerSecond: Double
        /// Plain confirmed publishes over the route the relay uses: the yardstick of the ratio.
        public var brokerPublishPerSecond: Double
        /// The same publishes through the default exchange (no routing), for reference.
        public var defaultExchangePublishPerSecond: Double
    }

    /// How the plain publishes travel.
    enum Route: String {
        /// A private topic exchange bound `#` to the queue: the broker's work for an event.
        case topic = "a topic exchange"
        /// Straight to the queue through the default exchange: no routing work.
        case defaultExchange = "the default exchange"
    }

    let options: Options
    let logger: Logger
    /// The relay as `reassure serve` runs it.
    static var relayBatchSize: Int { ServerConfiguration().relayBatchSize }

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run(report: @Sendable (String) -> Void) async throws -> Figures {
        let run = String(UUID().uuidString.prefix(8).lowercased())
        let sample = Self.event(id: "bench-\(run)-sample")
        let amqp = AMQPConfiguration(url: options.amqpURL, connectionName: "reassure-bench-ingest")

        // 1. The broker alone: confirmed publishes of the message the relay would send for the
        // sample. Measured again after the service (3.): one measurement swung from 10k to 22k/s
        // between runs, and the better of the two is the fairer yardstick.
        let published = try Self.publishedBody(sample)
        var rates: [Route: Double] = [:]
        for route in [Route.topic, .defaultExchange] {
            rates[route] = try await brokerPublishRate(body: published, route: route, name: "bench.ingest.\(run)")
            report(String(format: "broker before, through %@: %d confirmed publishes of %d bytes, %.0f/s",
                          route.rawValue, options.events, published.count, rates[route] ?? 0))
        }

        // 2. The service: HTTP → store (outbox) → relay → broker with confirms.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reassure-bench-ingest-\(run)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let store = try await Store.open(environment: ["REASSURE_STORE_URL": "sqlite://\(directory.path)/bench.sqlite",
                                                      "REASSURE_DATA_KEY": Data(key).base64EncodedString()], logger: logger)
        let token = try await store.createToken(name: "bench-\(run)", role: "integrator")
        let broker = BrokerLink(configuration: OutboxRelay.connectionConfiguration(amqp, batchSize: Self.relayBatchSize), logger: logger)
        let metrics = ServerMetrics()
        let relay = OutboxRelay(store: store, broker: broker, batchSize: Self.relayBatchSize, metrics: metrics, logger: logger)
        let configuration = ServerConfiguration(host: "127.0.0.1", port: options.port, rateLimitPerMinute: 100_000_000)
        let app = buildApplication(configuration: configuration,
                                   dependencies: ServerDependencies(store: store, broker: broker, relay: relay, metrics: metrics), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let base = "http://127.0.0.1:\(options.port)"
        let eventsPerSecond: Double = try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let rate = try await measure(base: base, token: token, run: run, store: store, broker: broker, report: report)
                // A graceful stop, then wait for it: cancelling the server mid-shutdown logged errors.
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return rate
            } catch {
                tasks.cancelAll()
                throw error
            }
        }

        await broker.close()
        await store.close()
        for route in [Route.topic, .defaultExchange] {
            let after = try await brokerPublishRate(body: published, route: route, name: "bench.ingest.\(run).after")
            report(String(format: "broker after, through %@: %.0f/s", route.rawValue, after))
            rates[route] = max(rates[route] ?? 0, after)
        }
        let yardstick = rates[.topic] ?? 0, reference = rates[.defaultExchange] ?? 0
        report(String(format: "the ratio uses the higher through a topic exchange (%.0f/s); through the default exchange it would be %.2f (%.0f/s)",
                      yardstick, eventsPerSecond / reference, reference))
        if options.purge {
            let cleaner = try await AMQPConnection.connect(AMQPConfiguration(url: options.amqpURL, connectionName: "reassure-bench-cleanup"))
            let purged = try await cleaner.purge(queue: ReassureTopology.schedulerQueue)
            await cleaner.close()
            report("purged \(purged) messages from \(ReassureTopology.schedulerQueue)")
        }
        return Figures(eventsPerSecond: eventsPerSecond, brokerPublishPerSecond: yardstick, defaultExchangePublishPerSecond: reference)
    }

    /// What the relay publishes for `event`: its scrubbed, validated, normalised form.
    static func publishedBody(_ event: String) throws -> [UInt8] {
        guard let result = try CaseEventIntake.process(body: Data(event.utf8)).first, case .success(let parsed) = result.outcome else {
            throw EmitError("the benchmark's sample event is not valid")
        }
        return EventEncoding.body(parsed)
    }

    /// The message a plain publish sends: the relay's own (`EventEncoding.message`: properties,
    /// routing key, body), addressed to `exchange`, or to `queue` through the default exchange.
    static func plainMessage(number: Int, body: [UInt8], route: Route, exchange: String, queue: String) -> OutgoingMessage {
        var message = EventEncoding.message(eventID: "b-\(number)", routingKey: CaseEvent.EventType.caseReported.rawValue, body: body)
        switch route {
        case .topic: message.exchange = exchange
        case .defaultExchange: (message.exchange, message.routingKey) = ("", queue)
        }
        return message
    }

    /// The broker alone: `options.events` confirmed publishes of `body` over `route` into a fresh
    /// quorum queue `name` (deleted afterwards, with the route's exchange), in batches of 5,000;
    /// publishes per second.
    private func brokerPublishRate(body: [UInt8], route: Route, name: String) async throws -> Double {
        let exchange = name + ".exchange"
        var topology = Topology(queues: [.quorum(name, deliveryLimit: 10, deadLetterExchange: "")])
        if route == .topic {
            topology.exchanges = [.init(exchange, kind: .topic)]
            topology.bindings = [.init(queue: name, exchange: exchange, routingKey: "#")]
        }
        let baseline = try await AMQPConnection.connect(AMQPConfiguration(url: options.amqpURL, connectionName: "reassure-bench-baseline"),
                                                        topology: topology)
        let started = ContinuousClock.now
        var published = 0
        while published < options.events {
            let count = min(5_000, options.events - published)
            let outcomes = await baseline.publish((0..<count).map { index in
                Self.plainMessage(number: published + index, body: body, route: route, exchange: exchange, queue: name)
            })
            published += outcomes.filter(\.isConfirmed).count
        }
        let rate = Double(options.events) / Self.seconds(ContinuousClock.now - started)
        try await baseline.delete(queue: name)
        if route == .topic { try await baseline.delete(exchange: exchange) }
        await baseline.close()
        return rate
    }

    /// Posts every event over HTTP with the concurrent clients and waits until the relay has
    /// had each confirmed by the broker; returns events per second over that whole time.
    private func measure(base: String, token: String, run: String, store: Store, broker: BrokerLink,
                         report: @Sendable (String) -> Void) async throws -> Double {
        try await Self.waitForHealth(base)
        guard await broker.current() != nil else { throw EmitError("cannot reach the broker at \(options.amqpURL)") }
        let next = BatchCounter()
        let template = EventTemplate()
        let batches = (options.events + options.batch - 1) / options.batch
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { clients in
            for _ in 0..<options.clients {
                clients.addTask {
                    while true {
                        let batch = next.take()
                        guard batch < batches else { return }
                        let numbers = batch * options.batch..<min((batch + 1) * options.batch, options.events)
                        try await Self.post(base, token: token, body: template.batch(numbers.map { "bench-\(run)-\($0)" }))
                    }
                }
            }
            try await clients.waitForAll()
        }
        let posted = ContinuousClock.now
        report(String(format: "http: %d events accepted in %.1f s", options.events, Self.seconds(posted - start)))
        while try await store.outboxDepth().count > 0 { try await Task.sleep(for: .milliseconds(20)) }
        let elapsed = Self.seconds(ContinuousClock.now - start)
        report(String(format: "all %d confirmed at the broker after %.1f s", options.events, elapsed))
        return Double(options.events) / elapsed
    }

    static func post(_ base: String, token: String, body: ByteBuffer) async throws {
        while true {
            var request = HTTPClientRequest(url: base + "/v1/events")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            _ = try await response.body.collect(upTo: 1 << 20)
            if response.status.code == 202 { return }
            guard response.status.code == 503 || response.status.code == 429 else {
                throw EmitError("the service answered \(response.status.code) to a benchmark batch")
            }
        }
    }

    static func waitForHealth(_ base: String) async throws {
        for _ in 0..<200 {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(1)),
               response.status.code == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw EmitError("the service did not start on \(base)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// A realistic case.reported event (about 700 bytes).
    /// One event as an integrator's system would send it. Built from text: the client shares
    /// the machine with the service, and JSONSerialization of dictionaries cost the client more
    /// CPU than the service spent on the events (perf: 27% of the run against 20%).
    static func event(id: String) -> String {
        #"{"id":"\#(id)","type":"case.reported","occurred_at":"2026-11-20T09:30:00Z","#
            + #""case":{"reference":"CAS \#(id)","unit":"pretoria-central-vsu","category":"business_robbery","priority":"enhanced"},"#
            + #""victim":{"ref":"V-\#(id)","given_name":"Amina","languages":["so","en"],"timezone":"Africa/Johannesburg","#
            + #""contact":{"sms":"+27821234567","email":"amina@example.org"},"preferred_channel":"sms","safe_to_contact":"yes","#
            + #""consent":{"status":"given","at":"2026-11-20T09:40:00Z","method":"verbal","language":"so"},"#
            + #""windows":[{"days":"mon-fri","from":"09:00","to":"17:00"}]},"#
            + #""officer":{"name":"Sgt N. Dlamini","phone":"+27123456789"}}"#
    }
}

/// Request bodies laid out from the text of `IngestBenchmark.event` cut at its ids: the client
/// shares the machine with the service, and building each batch with string interpolation and
/// joins was about 4% of the process's CPU in `bench ingest` (perf), taken from the service.
struct EventTemplate: Sendable {
    /// The event's text between the places its id goes.
    private let pieces: [[UInt8]]

    init() {
        let marker = "\u{1}"
        pieces = IngestBenchmark.event(id: marker).split(separator: marker, omittingEmptySubsequences: false).map { Array($0.utf8) }
    }

    /// `{"events": [...]}` with one event per id, byte for byte what `IngestBenchmark.event` writes.
    func batch(_ ids: [String]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(16 + ids.count * (pieces.reduce(0) { $0 + $1.count } + 3 * 32))
        buffer.writeString("{\"events\":[")
        for (index, id) in ids.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            for (position, piece) in pieces.enumerated() {
                if position > 0 { buffer.writeString(id) }
                buffer.writeBytes(piece)
            }
        }
        buffer.writeString("]}")
        return buffer
    }
}

/// Hands out batch numbers to the benchmark's clients.
final class BatchCounter: Sendable {
    private let next = Atomic<Int>(0)
    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}
