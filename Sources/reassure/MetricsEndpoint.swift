import Foundation
import Hummingbird
import Metrics
import Prometheus
import ReassureCore
import ServiceLifecycle

/// Prometheus metrics for a process: bootstraps swift-metrics once and serves the registry at
/// `GET /metrics` on `REASSURE_METRICS_ADDR` (host:port) when that is set.
enum MetricsEndpoint {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The HTTP service to add to a service group, or nil when no address is configured.
    static func service(environment: [String: String]) throws -> (any Service)? {
        _ = registry
        guard let address = environment["REASSURE_METRICS_ADDR"], !address.isEmpty else { return nil }
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else {
            throw ConfigurationError("REASSURE_METRICS_ADDR must be host:port, like 127.0.0.1:9464, not '\(address)'")
        }
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        return Application(router: router, configuration: .init(address: .hostname(String(parts[0]), port: port)))
    }
}
