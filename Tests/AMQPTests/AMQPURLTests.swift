import Testing

@testable import AMQP

@Suite struct AMQPURLTests {
    @Test func defaultURLPointsAtALocalBrokerOnTheRootVhost() throws {
        let url = try AMQPURL(AMQPURL.defaultURL)
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 5672)
        #expect(url.vhost == "/")
        #expect(url.user == "guest")
        #expect(!url.useTLS)
    }

    @Test func amqpsDefaultsToPort5671AndVerifiesThePeer() throws {
        let url = try AMQPURL("amqps://svc:p%40ss@mq.example.org/reassure?cacertfile=/etc/ca.pem")
        #expect(url.useTLS)
        #expect(url.port == 5671)
        #expect(url.password == "p@ss")
        #expect(url.vhost == "reassure")
        #expect(url.caCertificateFile == "/etc/ca.pem")
        #expect(url.verifyPeer)
    }

    @Test func descriptionNeverContainsThePassword() throws {
        let url = try AMQPURL("amqp://svc:Sup3rSecret@127.0.0.1:5673/%2f")
        #expect(!url.description.contains("Sup3rSecret"))
        #expect(url.description == "amqp://svc:****@127.0.0.1:5673/%2F")
    }

    @Test(arguments: ["http://host/", "amqp:///vhost", "amqp://h:70000/", "amqp://h/a/b", "amqp://h/?heartbeat=x"])
    func malformedURLsAreRefusedWithAnInvalidURLError(_ text: String) {
        #expect {
            try AMQPURL(text)
        } throws: { error in
            (error as? AMQPError)?.code == .invalidURL
        }
    }

    @Test func errorsAboutTheURLNeverEchoThePassword() {
        do {
            _ = try AMQPURL("amqp://u:Sup3rSecret@h:99999/")
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("Sup3rSecret"))
        }
    }
}
