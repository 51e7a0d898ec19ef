import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ReassureGateways
import ServiceLifecycle
import Synchronization

/// Signed webhooks on their way to the producer: delivery receipts and simulated replies. Each
/// waits until it is due, then is POSTed and retried with backoff (0.2 s doubling to 10 s) until
/// the producer answers 2xx, for as long as the stub runs — a producer restart loses nothing.
/// Each try is signed afresh, so a long outage does not leave a stale timestamp.
final class WebhookOutbox: Service, Sendable {
    struct Item: Sendable {
        enum Kind: String, Sendable { case receipt, inbound }
        let kind: Kind
        let url: String
        let body: [UInt8]
        let due: ContinuousClock.Instant
    }

    struct Counts: Sendable, Equatable {
        var delivered: [Item.Kind: Int] = [:]
        var pending = 0
        var retries = 0
    }

    private let items: AsyncStream<Item>
    private let continuation: AsyncStream<Item>.Continuation
    private let counts = Mutex(Counts())
    private let signer: WebhookSignature
    private let client: HTTPClient
    private let logger: Logger

    init(secret: String, client: HTTPClient = .shared, logger: Logger) {
        (items, continuation) = AsyncStream.makeStream(of: Item.self)
        signer = WebhookSignature(secret: secret)
        self.client = client
        self.logger = logger
    }

    func enqueue(_ item: Item) {
        counts.withLock { $0.pending += 1 }
        continuation.yield(item)
    }

    var snapshot: Counts { counts.withLock { $0 } }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for await item in items.cancelOnGracefulShutdown() {
                group.addTask { await self.deliver(item) }
            }
            group.cancelAll()
        }
    }

    private func deliver(_ item: Item) async {
        do {
            try await Task.sleep(until: item.due, clock: .continuous)
        } catch { return }
        var backoff: Duration = .milliseconds(200)
        while !Task.isCancelled {
            if await post(item) {
                counts.withLock {
                    $0.pending -= 1
                    $0.delivered[item.kind, default: 0] += 1
                }
                return
            }
            counts.withLock { $0.retries += 1 }
            do { try await Task.sleep(for: backoff) } catch { return }
            backoff = min(backoff * 2, .seconds(10))
        }
    }

    private func post(_ item: Item) async -> Bool {
        var request = HTTPClientRequest(url: item.url)
        request.method = .POST
        let headers = signer.sign(item.body)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: WebhookSignature.timestampHeader, value: headers.timestamp)
        request.headers.add(name: WebhookSignature.signatureHeader, value: headers.signature)
        request.body = .bytes(ByteBuffer(bytes: item.body))
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if (200..<300).contains(response.status.code) { return true }
            logger.warning("webhook refused; will retry", metadata: ["kind": "\(item.kind.rawValue)", "status": "\(response.status.code)"])
        } catch {
            logger.warning("webhook not delivered; will retry", metadata: ["kind": "\(item.kind.rawValue)", "error": "\(error)"])
        }
        return false
    }
}
