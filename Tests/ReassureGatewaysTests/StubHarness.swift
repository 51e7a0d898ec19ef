import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ReassureGatewayStub
import ServiceLifecycle
import Testing

/// Runs `reassure gateway-stub` applications (built as the command builds them) on free ports
/// for the length of `body`, then shuts them down gracefully.
func withGatewayStubs<T: Sendable>(
    _ configurations: [GatewayStubConfiguration],
    _ body: @Sendable (_ baseURLs: [String]) async throws -> T
) async throws -> T {
    var services: [any Service] = []
    var ports: [AsyncStream<Int>] = []
    for var configuration in configurations {
        configuration.port = 0
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        services.append(try buildGatewayStubApplication(configuration, logger: quietLogger) { port in
            continuation.yield(port)
            continuation.finish()
        })
        ports.append(stream)
    }
    let streams = ports
    return try await withRunningServices(services) {
        var urls: [String] = []
        for stream in streams {
            guard let port = await stream.first(where: { _ in true }) else { throw HarnessError("stub did not start") }
            urls.append("http://127.0.0.1:\(port)")
        }
        return try await body(urls)
    }
}

func withRunningServices<T: Sendable>(_ services: [any Service], _ body: @Sendable () async throws -> T) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: services, logger: quietLogger))
    return try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask {
            try await group.run()
            return nil
        }
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        await group.triggerGracefulShutdown()
        while let _ = try await tasks.next() {}
        return try result.get()
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    return logger
}()

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, checking every 20 ms; fails after `timeout`.
func eventually(_ what: String, timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw HarnessError("timed out waiting until \(what)")
}

/// A little client for the stub's operator endpoints.
struct StubControl: Sendable {
    let baseURL: String
    let apiKey: String

    func stats() async throws -> [String: Any] {
        let data = try await call("GET", "/v1/messages/stats", body: nil)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func count(_ name: String) async throws -> Int { try await stats()[name] as? Int ?? -1 }

    func faults(_ json: String) async throws {
        _ = try await call("POST", "/control", body: json)
    }

    @discardableResult
    func call(_ method: String, _ path: String, body: String?) async throws -> Data {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else { throw HarnessError("\(method) \(path): HTTP \(response.status.code)") }
        return Data(buffer: buffer)
    }
}
