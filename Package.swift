// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-rdkafka",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RdKafka", targets: ["RdKafka"]),
        .library(name: "RdKafkaServiceLifecycle", targets: ["RdKafkaServiceLifecycle"]),
        .executable(name: "rdkafka-bench", targets: ["rdkafka-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
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
        .testTarget(
            name: "RdKafkaTests",
            dependencies: [
                "RdKafka",
                "RdKafkaServiceLifecycle",
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
