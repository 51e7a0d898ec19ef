import AMQP
import Foundation
import Logging
import ReassureGateways
import ServiceLifecycle

/// Carries in-process stub receipts to `reassure.outcomes` (routing key `receipt`), the path a
/// real provider's webhook takes through `reassure serve`. Receipts are buffered and published
/// with confirms, up to `perMessage` in one message (a JSON array; the webhook publishes one
/// receipt per message, and the outcomes role takes both); one not confirmed is tried again.
public actor ReceiptPublisher: Service {
    /// Receipts per message: a message per receipt cost the broker more than recording them.
    static let perMessage = 100
    private var waiting: [GatewayReceipt] = []
    private var wakeUp: CheckedContinuation<Void, Never>?
    private let connect: @Sendable (String) async throws -> AMQPConnection
    private let logger: Logger

    public init(logger: Logger, connect: @escaping @Sendable (String) async throws -> AMQPConnection) {
        self.connect = connect
        self.logger = logger
    }

    /// The gateways' receipt sink.
    public nonisolated var sink: ReceiptSink {
        { receipt in await self.enqueue(receipt) }
    }

    func enqueue(_ receipt: GatewayReceipt) {
        waiting.append(receipt)
        wakeUp?.resume()
        wakeUp = nil
    }

    public func run() async throws {
        let connection = try await connect("receipts")
        var stopping = false
        await withGracefulShutdownHandler {
            while true {
                if waiting.isEmpty {
                    if stopping || Task.isShuttingDownGracefully { break }
                    await withCheckedContinuation { continuation in
                        if waiting.isEmpty && !Task.isShuttingDownGracefully { wakeUp = continuation } else { continuation.resume() }
                    }
                    continue
                }
                let batch = Array(waiting.prefix(500))
                waiting.removeFirst(batch.count)
                let chunks = stride(from: 0, to: batch.count, by: Self.perMessage).map { Array(batch[$0..<min($0 + Self.perMessage, batch.count)]) }
                let messages = chunks.map { chunk in
                    OutgoingMessage(exchange: ReassureTopology.outcomesExchange, routingKey: GatewayReceipt.routingKey,
                                    body: GatewayReceipt.jsonBytes(chunk),
                                    properties: MessageProperties(messageId: "\(chunk[0].idempotencyKey)+\(chunk.count - 1)", type: "gateway.receipts",
                                                                  headers: BatchedMessage.headers(count: chunk.count)))
                }
                let outcomes = await connection.publish(messages)
                let failed = zip(chunks, outcomes).filter { !$0.1.isConfirmed }.flatMap(\.0)
                if !failed.isEmpty {
                    logger.warning("receipts not confirmed by the broker; retrying", metadata: ["count": "\(failed.count)"])
                    waiting.insert(contentsOf: failed, at: 0)
                    try? await Task.sleep(for: .milliseconds(500))
                }
                stopping = Task.isShuttingDownGracefully
            }
        } onGracefulShutdown: {
            Task { await self.stop() }
        }
        await connection.close()
    }

    private func stop() {
        wakeUp?.resume()
        wakeUp = nil
    }
}
