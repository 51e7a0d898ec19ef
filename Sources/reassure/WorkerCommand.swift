import AMQP
import ArgumentParser
import Foundation
import Logging
import ReassureCore
import ReassureGateways
import ReassureStore
import ReassureWorkers
import ServiceLifecycle

/// `reassure worker [--roles …]`: the engine. Run as many as you like, on one machine or many.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Worker roles: scheduler, clock, dispatcher, outcomes.",
        discussion: """
            Reads REASSURE_AMQP_URL, REASSURE_STORE_URL, REASSURE_DATA_KEY(_FILE), REASSURE_CONFIG, REASSURE_TEMPLATES_DIR, \
            REASSURE_CLOCK_SCALE, REASSURE_GATEWAY_SMS/_EMAIL, REASSURE_STUB_*, REASSURE_WORKER_ID, REASSURE_METRICS_ADDR and the \
            worker knobs in the README. SIGTERM/SIGINT: stop taking work, finish what is in flight, ack, close; a second signal exits at once.
            """)

    @Option(help: "Comma-separated roles to run (default: all): scheduler, clock, dispatcher, outcomes.")
    var roles: String = "scheduler,clock,dispatcher,outcomes"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        bootstrapLogging(environment, fallback: .info)
        let logger = Logger(label: "reassure.worker")
        let roles = try WorkerConfiguration.roles(from: roles)
        let metrics = try MetricsEndpoint.service(environment: environment)
        let runtime = try await WorkerRuntime.assemble(environment: environment, roles: roles, logger: logger)
        var services = runtime.services
        if let metrics { services.insert(metrics, at: 0) }
        var groupConfiguration = ServiceGroupConfiguration(services: services.map { .init(service: $0) }, logger: logger)
        // In-flight work finishes well within this; past it (say the broker is gone and a cancel
        // cannot be confirmed) the services are cancelled and unacked messages return to their queues.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(30)
        let group = ServiceGroup(configuration: groupConfiguration)
        let signals = ShutdownSignals(group: group, name: "reassure worker")
        logger.info("worker started", metadata: ["roles": "\(roles.map(\.rawValue).sorted().joined(separator: ","))",
                                                 "worker_id": "\(runtime.dependencies.configuration.workerID)"])
        try await group.run()
        _ = signals
        await runtime.dependencies.store.close()
        logger.info("worker stopped")
    }
}
