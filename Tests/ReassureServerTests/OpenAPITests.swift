import Foundation
import ReassureServer
import Testing
import Yams

@Suite struct OpenAPITests {
    static var specification: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("openapi.yaml")
    }

    @Test func openapiYamlDescribesExactlyTheRoutesTheRouterServes() async throws {
        let fixture = try await ServerFixture.make(amqpURL: "amqp://guest:guest@127.0.0.1:1/%2f")
        let router = buildRouter(configuration: fixture.configuration,
                                 dependencies: ServerDependencies(store: fixture.store, broker: fixture.broker, relay: fixture.relay,
                                                                  metrics: fixture.metrics))
        let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })

        let document = try #require(try Yams.load(yaml: String(contentsOf: Self.specification, encoding: .utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            for (method, operation) in item as? [String: Any] ?? [:] {
                documented.insert("\(method.uppercased()) \(path)")
                let responses = (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                #expect(!responses.isEmpty, "\(method) \(path) documents its responses")
                if path.hasPrefix("/v1/") && !path.hasPrefix("/v1/gateway") {
                    #expect(Set(["401", "403", "429"]).isSubset(of: responses.keys), "\(method) \(path) documents 401, 403 and 429")
                }
            }
        }
        #expect(served == documented, "served but undocumented: \(served.subtracting(documented)); documented but not served: \(documented.subtracting(served))")
        await fixture.close()
    }
}
