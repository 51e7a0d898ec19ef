import Foundation
import Prometheus
import ReassureStore

/// The service's Prometheus figures: requests by route and status, events by result, the
/// outbox's depth and the age of its oldest unsent event (read from the store at each scrape,
/// so they are true across restarts and processes).
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let accepted: Counter
    private let duplicate: Counter
    private let rejected: Counter
    private let relayedEvents: Counter
    private let outboxDepth: Gauge
    private let outboxAge: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        accepted = registry.makeCounter(name: "reassure_events_total", labels: [("result", "accepted")])
        duplicate = registry.makeCounter(name: "reassure_events_total", labels: [("result", "duplicate")])
        rejected = registry.makeCounter(name: "reassure_events_total", labels: [("result", "rejected")])
        relayedEvents = registry.makeCounter(name: "reassure_outbox_relayed_total")
        outboxDepth = registry.makeGauge(name: "reassure_outbox_depth")
        outboxAge = registry.makeGauge(name: "reassure_outbox_oldest_age_seconds")
    }

    func request(route: String, status: Int) {
        registry.makeCounter(name: "reassure_http_requests_total", labels: [("route", route), ("status", String(status))]).increment()
    }

    func events(accepted: Int, duplicates: Int, rejected: Int) {
        if accepted > 0 { self.accepted.increment(by: Int64(accepted)) }
        if duplicates > 0 { duplicate.increment(by: Int64(duplicates)) }
        if rejected > 0 { self.rejected.increment(by: Int64(rejected)) }
    }

    func relayed(_ count: Int) {
        if count > 0 { relayedEvents.increment(by: Int64(count)) }
    }

    /// The exposition text, with the outbox figures refreshed from the store.
    func exposition(store: Store) async -> [UInt8] {
        if let depth = try? await store.outboxDepth() {
            outboxDepth.set(Double(depth.count))
            outboxAge.set(depth.oldestAge)
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
