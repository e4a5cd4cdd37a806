// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-rdkafka",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RdKafka", targets: ["RdKafka"]),
        .library(name: "RdKafkaServiceLifecycle", targets: ["RdKafkaServiceLifecycle"]),
        .library(name: "RdKafkaAvro", targets: ["RdKafkaAvro"]),
        .library(name: "RdKafkaSchemaRegistry", targets: ["RdKafkaSchemaRegistry", "RdKafkaAvro"]),
        .executable(name: "rdkafka-bench", targets: ["rdkafka-bench"]),
        .executable(name: "rdkafka", targets: ["RdKafkaCLI"]),
        .executable(name: "rdkafka-avro-bench", targets: ["rdkafka-avro-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            path: "Modules/CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // Fixed-arity wrappers for librdkafka's variadic functions, which Swift cannot call.
        .target(name: "CRdKafkaShims", dependencies: ["CRdKafka"], path: "Modules/CRdKafkaShims"),
        .target(
            name: "RdKafka",
            dependencies: [
                "CRdKafka",
                "CRdKafkaShims",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // Clients as swift-service-lifecycle services; a separate product so the core stays light.
        .target(
            name: "RdKafkaServiceLifecycle",
            dependencies: [
                "RdKafka",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Avro 1.12 in pure Swift: schemas, binary encoding, schema resolution, Codable.
        .target(name: "RdKafkaAvro"),
        // Avro encode and decode throughput, with no broker involved.
        .executableTarget(name: "rdkafka-avro-bench", dependencies: ["RdKafkaAvro"]),
        // Confluent Schema Registry client and the Avro, Protobuf and JSON Schema serdes; a
        // separate product so the core library does not pull in an HTTP client.
        .target(
            name: "RdKafkaSchemaRegistry",
            dependencies: [
                "RdKafka",
                "RdKafkaAvro",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // The raw-C side of rdkafka-bench: the same workloads written directly against librdkafka.
        .target(name: "CRdKafkaBench", dependencies: ["CRdKafka"]),
        .executableTarget(
            name: "rdkafka-bench",
            dependencies: [
                "RdKafka",
                "CRdKafkaBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // The rdkafka command-line tool (docs/cli.md); the schema products decode
        // registry-framed values (`consume -s`).
        .executableTarget(
            name: "RdKafkaCLI",
            dependencies: [
                "RdKafka",
                "RdKafkaAvro",
                "RdKafkaSchemaRegistry",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the test targets share: child processes started without Foundation.Process.
        .target(name: "RdKafkaTestSupport", path: "Tests/RdKafkaTestSupport"),
        .testTarget(
            name: "RdKafkaTests",
            dependencies: [
                "RdKafka",
                "RdKafkaTestSupport",
                "RdKafkaServiceLifecycle",
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        // Runs the built rdkafka binary against the brokers; unit-tests its parsers. Its
        // Support/ links the shared cluster and in-process registry sources of the other targets.
        .testTarget(
            name: "RdKafkaCLITests",
            dependencies: [
                "RdKafkaCLI",
                "RdKafka",
                "RdKafkaAvro",
                "RdKafkaSchemaRegistry",
                "RdKafkaTestSupport",
                "CRdKafka",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(name: "RdKafkaAvroTests", dependencies: ["RdKafkaAvro", "RdKafkaTestSupport"]),
        .testTarget(
            name: "RdKafkaSchemaRegistryTests",
            dependencies: [
                "RdKafka",
                "RdKafkaAvro",
                "RdKafkaSchemaRegistry",
                "RdKafkaTestSupport",
                "CRdKafka",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
