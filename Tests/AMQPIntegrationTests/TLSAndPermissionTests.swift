import AMQP
import Foundation
import Testing

@Suite struct TLSAndPermissionTests {
    static var amqpsURL: String? { ProcessInfo.processInfo.environment["REASSURE_TEST_AMQPS_URL"] }

    @Test func amqpsWithTheBrokersCAConnectsAndCarriesMessages() async throws {
        let url = try #require(Self.amqpsURL, "REASSURE_TEST_AMQPS_URL is not set; run the suite through deploy/test.sh")
        let queue = Broker.uniqueQueue("tls")
        let connection = try await AMQPConnection.connect(Broker.configuration("test-tls", url: url), topology: testQueue(queue))
        #expect(await connection.publish(message(1, to: queue)) == .confirmed)
        let consumer = try await connection.consume(queue: queue, prefetch: 1)
        let received = try await collect(from: consumer, timeout: .seconds(20), until: { !$0.isEmpty }) { delivery, _ in
            consumer.ack(delivery)
        }
        #expect(received.first?.properties.messageId == "1")
        await consumer.cancel()
        try await connection.delete(queue: queue)
        await connection.close()
    }

    @Test func amqpsRefusesABrokerCertificateNotSignedByTheGivenCA() async throws {
        var url = try AMQPURL(try #require(Self.amqpsURL, "REASSURE_TEST_AMQPS_URL is not set"))
        url.caCertificateFile = "/etc/ssl/certs/ca-certificates.crt"
        await #expect {
            _ = try await AMQPConnection.connect(AMQPConfiguration(url: url, connectionName: "test-tls-untrusted"))
        } throws: { error in
            (error as? AMQPError)?.code == .tlsFailure
        }
    }

    @Test func aUserWithoutPermissionOnTheVhostGetsAccessRefused() async throws {
        let node = try #require(ProcessInfo.processInfo.environment["REASSURE_TEST_RABBITMQ_NODE"],
                                "REASSURE_TEST_RABBITMQ_NODE is not set; run the suite through deploy/test.sh")
        let user = "noperm-\(UUID().uuidString.prefix(6))"
        try await rabbitmqctl(node, "add_user", user, "noperm-pass")
        var url = try AMQPURL(Broker.url)
        url.user = user
        url.password = "noperm-pass"
        await #expect {
            _ = try await AMQPConnection.connect(AMQPConfiguration(url: url, connectionName: "test-noperm"))
        } throws: { error in
            (error as? AMQPError)?.code == .accessRefused
        }
        try await rabbitmqctl(node, "delete_user", user)
    }
}

/// Runs `rabbitmqctl -n node …` for tests that change the broker itself, on a thread of its own
/// (it takes about a second; the cooperative pool is shared by every test).
func rabbitmqctl(_ node: String, _ arguments: String...) async throws {
    let status = await withCheckedContinuation { continuation in
        Thread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/rabbitmqctl")
            process.arguments = ["-n", node, "-q"] + arguments
            process.standardOutput = FileHandle.nullDevice
            do {
                try process.run()
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            } catch {
                continuation.resume(returning: -1)
            }
        }.start()
    }
    guard status == 0 else { throw TestFailure("rabbitmqctl \(arguments.first ?? "") failed") }
}
