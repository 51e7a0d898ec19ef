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
        .executableTarget(
            name: "reassure",
            dependencies: [
                "AMQP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "AMQPTests", dependencies: ["AMQP"]),
        .testTarget(name: "AMQPIntegrationTests", dependencies: ["AMQP"]),
    ],
    swiftLanguageModes: [.v6]
)
