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
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "reassure",
            dependencies: [
                "AMQP", "ReassureCore", "ReassureStore",
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
    ],
    swiftLanguageModes: [.v6]
)
