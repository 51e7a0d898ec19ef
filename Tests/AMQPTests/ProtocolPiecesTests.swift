import Testing

@testable import AMQP

@Suite struct ProtocolPiecesTests {
    @Test func preconditionFailureNamesTheQueueAndTheArgument() {
        let failure = PreconditionFailure(
            "PRECONDITION_FAILED - inequivalent arg 'x-delivery-limit' for queue 'reassure.dispatch' in vhost '/': received the value '5' of type 'long' but current is the value '10' of type 'long'")
        #expect(failure.argument == "x-delivery-limit")
        #expect(failure.queue == "reassure.dispatch")
        let error = AMQPError.broker(code: 406, text: "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'q1' in vhost '/'",
                                     channelLevel: true, while: .operation(queue: "q1"))
        #expect(error.code == .preconditionFailed)
        #expect(error.queue == "q1")
        #expect(error.argument == "x-queue-type")
    }

    @Test func aRefusedLoginIsAnAuthenticationErrorButALaterRefusalIsAccess() {
        let login = AMQPError.broker(code: 403, text: "ACCESS_REFUSED - Login was refused", channelLevel: false, while: .login)
        #expect(login.code == .authenticationRefused)
        let later = AMQPError.broker(code: 403, text: "ACCESS_REFUSED - write access", channelLevel: true, while: .operation(queue: "q"))
        #expect(later.code == .accessRefused)
        let vhost = AMQPError.broker(code: 530, text: "NOT_ALLOWED - vhost nowhere not found", channelLevel: false, while: .login)
        #expect(vhost.code == .vhostNotFound)
    }

    @Test func aMessageIsAssembledFromItsHeaderAndBodyFrames() {
        var assembler = ContentAssembler()
        assembler.start(.init(deliveryTag: 7, redelivered: true, exchange: "x", routingKey: "k", discard: false))
        #expect(assembler.header(bodySize: 5, properties: MessageProperties(messageId: "m")) == nil)
        let first: [UInt8] = [1, 2, 3]
        let second: [UInt8] = [4, 5]
        #expect(first.withUnsafeBytes { assembler.body($0) } == nil)
        let finished = second.withUnsafeBytes { assembler.body($0) }
        #expect(finished?.0.deliveryTag == 7)
        #expect(finished?.1.messageId == "m")
        #expect(finished?.2 == [1, 2, 3, 4, 5])
        #expect(assembler.isIdle)
    }

    @Test func anEmptyBodyFinishesAtTheHeader() {
        var assembler = ContentAssembler()
        assembler.start(.init(deliveryTag: 1, redelivered: false, exchange: "", routingKey: "q", discard: false))
        #expect(assembler.header(bodySize: 0, properties: MessageProperties())?.2 == [])
    }

    @Test(arguments: 0..<12) func backoffStaysBetweenHalfTheCeilingAndTheCeiling(_ attempt: Int) {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(10))
        let ceiling = backoff.ceiling(forAttempt: attempt)
        #expect(ceiling <= .seconds(10))
        let delay = backoff.delay(forAttempt: attempt)
        #expect(delay <= ceiling && delay >= ceiling / 2)
    }

    @Test func workQueuesAreQuorumQueuesWithADeliveryLimitAndRetryTiersThatReturnToThem() {
        let topology = ReassureTopology.workQueue("reassure.dispatch")
        let work = topology.queues[0]
        #expect(work.arguments["x-queue-type"] == .string("quorum"))
        #expect(work.arguments["x-delivery-limit"] == .int(25))
        #expect(work.arguments["x-dead-letter-exchange"] == .string("reassure.dlx"))
        #expect(work.arguments["x-dead-letter-strategy"] == .string("at-least-once"))
        let tiers = topology.queues.dropFirst()
        #expect(tiers.map(\.name) == ["reassure.dispatch.retry.10s", "reassure.dispatch.retry.1m", "reassure.dispatch.retry.10m"])
        #expect(tiers.map { $0.arguments["x-message-ttl"] } == [.int(10_000), .int(60_000), .int(600_000)])
        #expect(tiers.allSatisfy { $0.arguments["x-dead-letter-routing-key"] == .string("reassure.dispatch") })
    }
}
