import AMQP
import Logging
import ReassureCore
import ReassureGateways
import ReassureStore

/// What every worker role needs, built once per process by `reassure worker` (or a test).
public struct WorkerDependencies: Sendable {
    public var store: Store
    public var planner: ContactPlanner
    public var clock: any ReassureClock
    public var gateways: GatewaySet
    /// Sender ids and email From per unit, standard and discreet (`REASSURE_GATEWAY_SENDERS`).
    public var senders: SenderDirectory
    public var configuration: WorkerConfiguration
    public var logger: Logger
    /// Opens a broker connection for one role (each role has its own, so a busy dispatcher does
    /// not hold up the clock's publishes).
    public var connect: @Sendable (_ role: String) async throws -> AMQPConnection

    public init(store: Store, planner: ContactPlanner, clock: any ReassureClock, gateways: GatewaySet, configuration: WorkerConfiguration,
                logger: Logger, senders: SenderDirectory = .builtIn,
                connect: @escaping @Sendable (_ role: String) async throws -> AMQPConnection) {
        self.store = store
        self.planner = planner
        self.clock = clock
        self.gateways = gateways
        self.senders = senders
        self.configuration = configuration
        self.logger = logger
        self.connect = connect
    }
}
