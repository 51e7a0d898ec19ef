// swift-tools-version:6.0
import PackageDescription

/// Reassure: secondary reassurance contact for victims of crime.
/// Module layout and dependency direction are described in README.md ("Code layout").
let package = Package(
    name: "reassure",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "reassure", targets: ["reassure"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // rabbitmq-c as Debian ships it (librabbitmq-dev 0.11).
        .systemLibrary(
            name: "CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        // What Swift cannot call (variadic amqp_login) and the plain-C benchmark baseline.
        .target(name: "CAMQPShim", dependencies: ["CRabbitMQ"]),
        // The only Swift code that talks to rabbitmq-c.
        .target(
            name: "AMQP",
            dependencies: [
                "CRabbitMQ", "CAMQPShim",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Pure domain rules: events, scrubbing, contact policy, languages, templates, SMS, replies.
        .target(
            name: "ReassureCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/templates")]
        ),
        // The durable heart: the only module that writes SQL. SQLite by default, PostgreSQL at scale.
        .target(
            name: "ReassureStore",
            dependencies: [
                "ReassureCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // How messages leave: the Gateway protocol, in-process stubs, the HTTP provider client, failover.
        .target(
            name: "ReassureGateways",
            dependencies: [
                "ReassureCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The engine: scheduler, clock, dispatcher and outcomes, each a Service.
        .target(
            name: "ReassureWorkers",
            dependencies: [
                "AMQP", "ReassureCore", "ReassureStore", "ReassureGateways",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The producer: HTTP ingest, outbox relay, webhooks, read API, dashboard, metrics.
        .target(
            name: "ReassureServer",
            dependencies: [
                "AMQP", "ReassureCore", "ReassureStore", "ReassureGateways",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // `emit` and `bench ingest` are HTTP clients of the service; emit reads YAML column maps.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // `reassure gateway-stub`: an imitation SMS/email provider over HTTP.
        .target(
            name: "ReassureGatewayStub",
            dependencies: [
                "ReassureCore", "ReassureGateways",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "reassure",
            dependencies: [
                "AMQP", "ReassureCore", "ReassureStore", "ReassureGateways", "ReassureWorkers", "ReassureServer",
                "ReassureGatewayStub",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "AMQPTests", dependencies: ["AMQP"]),
        .testTarget(
            name: "ReassureCoreTests",
            dependencies: ["ReassureCore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "AMQPIntegrationTests", dependencies: ["AMQP"]),
        // Two of these race for claims in the store's concurrency test (separate OS processes).
        .executableTarget(name: "reassure-claim-probe", dependencies: ["ReassureStore"]),
        .testTarget(name: "ReassureStoreTests", dependencies: ["ReassureStore"]),
        .testTarget(
            name: "ReassureGatewaysTests",
            dependencies: ["ReassureCore", "ReassureGateways", "ReassureGatewayStub",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        // End to end: real broker, real store, in-process stub gateways, worker processes.
        .testTarget(
            name: "ReassureWorkersTests",
            dependencies: ["AMQP", "ReassureCore", "ReassureStore", "ReassureGateways", "ReassureWorkers",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        .testTarget(
            name: "ReassureServerTests",
            dependencies: ["AMQP", "ReassureCore", "ReassureStore", "ReassureGateways", "ReassureServer",
                           .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "Yams", package: "Yams"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
