import AMQP
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ConnectErrorTests {
    @Test func wrongCredentialsGiveTheAuthenticationErrorWithinFiveSeconds() async throws {
        var url = try AMQPURL(Broker.url)
        url.password = "definitely-wrong-\(UUID())"
        let started = ContinuousClock.now
        await #expect {
            _ = try await AMQPConnection.connect(AMQPConfiguration(url: url, connectionName: "test-bad-auth"))
        } throws: { error in
            (error as? AMQPError)?.code == .authenticationRefused && !"\(error)".contains(url.password)
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aMissingVhostIsNamedAsSuch() async throws {
        var url = try AMQPURL(Broker.url)
        url.vhost = "no-such-vhost-\(UUID().uuidString.prefix(6))"
        await #expect {
            _ = try await AMQPConnection.connect(AMQPConfiguration(url: url, connectionName: "test-bad-vhost"))
        } throws: { error in
            (error as? AMQPError)?.code == .vhostNotFound
        }
    }

    @Test func aClosedPortGivesBrokerUnreachableAtOnce() async throws {
        var url = try AMQPURL(Broker.url)
        url.port = try unusedPort()
        let started = ContinuousClock.now
        await #expect {
            _ = try await AMQPConnection.connect(AMQPConfiguration(url: url, connectionName: "test-closed-port"))
        } throws: { error in
            (error as? AMQPError)?.code == .brokerUnreachable
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func aPeerThatNeverAnswersGivesBrokerUnreachableWithinTheConnectTimeout() async throws {
        // A socket that listens but never speaks AMQP: the kernel accepts, nobody answers.
        let (descriptor, port) = try silentListener()
        defer { close(descriptor) }
        var url = try AMQPURL(Broker.url)
        url.port = port
        let started = ContinuousClock.now
        await #expect {
            _ = try await AMQPConnection.connect(AMQPConfiguration(url: url, connectionName: "test-silent", connectTimeout: .seconds(1)))
        } throws: { error in
            (error as? AMQPError)?.code == .brokerUnreachable
        }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(900) && waited < .seconds(3), "gave up after \(waited)")
    }

    private func silentListener() throws -> (Int32, Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw TestFailure("cannot listen") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    private func unusedPort() throws -> Int {
        let (descriptor, port) = try silentListener()
        close(descriptor)
        return port
    }
}
