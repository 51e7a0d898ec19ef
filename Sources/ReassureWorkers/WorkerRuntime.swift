import AMQP
import Foundation
import Logging
import ReassureCore
import ReassureGateways
import ReassureStore
import ServiceLifecycle

/// Assembles a worker process from its environment: the store, the planner, the clock, the
/// gateways and one service per role, in dependency order for a `ServiceGroup` (receipts first,
/// so they are still published while the dispatcher drains). `reassure worker` and the
/// end-to-end tests build workers the same way.
public struct WorkerRuntime: Sendable {
    public let services: [any Service]
    public let dependencies: WorkerDependencies

    /// `store`: an open store to share (one process should hold one connection to an SQLite
    /// file: writers waiting on each other's lock would each hold a thread meanwhile);
    /// nil opens the one `REASSURE_STORE_URL` names.
    public static func assemble(environment: [String: String], roles: Set<WorkerConfiguration.Role>, logger: Logger,
                                store: Store? = nil) async throws -> WorkerRuntime {
        var configuration = try WorkerConfiguration.fromEnvironment(environment)
        configuration.roles = roles
        let amqp = try AMQPConfiguration.fromEnvironment(environment, connectionName: "reassure-worker")
        let connect: @Sendable (String) async throws -> AMQPConnection = { role in
            var named = amqp
            named.connectionName = "reassure-worker-\(role)"
            var amqpLogger = Logger(label: "reassure.amqp.\(role)")
            amqpLogger.logLevel = logger.logLevel
            return try await AMQPConnection.connect(named, topology: ReassureTopology.standard, logger: amqpLogger)
        }
        let planner = ContactPlanner(policy: try ContactPolicyLoader.load(environment: environment),
                                     catalog: try TemplateCatalog.configured(environment: environment))
        let clock = try ClockConfiguration.clock(from: environment)
        let receipts = roles.contains(.dispatcher) ? ReceiptPublisher(logger: logger, connect: connect) : nil
        let gateways = try GatewaySet.fromEnvironment(environment, receipts: receipts?.sink)
        let senders = try SenderDirectory.fromEnvironment(environment)
        let store = if let store { store } else { try await Store.open(environment: environment) }
        let dependencies = WorkerDependencies(store: store, planner: planner, clock: clock, gateways: gateways,
                                              configuration: configuration, logger: logger, senders: senders, connect: connect)
        return WorkerRuntime(services: services(for: roles, dependencies: dependencies, receipts: receipts), dependencies: dependencies)
    }

    static func services(for roles: Set<WorkerConfiguration.Role>, dependencies: WorkerDependencies,
                         receipts: ReceiptPublisher?) -> [any Service] {
        var services: [any Service] = []
        if let receipts { services.append(receipts) }
        if roles.contains(.outcomes) { services.append(OutcomesService(dependencies: dependencies)) }
        if roles.contains(.scheduler) { services.append(SchedulerService(dependencies: dependencies)) }
        if roles.contains(.clock) {
            services.append(ClockService(dependencies: dependencies))
            services.append(SweeperService(dependencies: dependencies))
        }
        if roles.contains(.dispatcher) { services.append(DispatcherService(dependencies: dependencies)) }
        return services
    }
}
