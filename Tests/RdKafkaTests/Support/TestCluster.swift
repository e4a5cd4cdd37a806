import Foundation
import RdKafka

/// The cluster a test runs against: a fresh embedded (mock) cluster by default, or the real
/// cluster named by `KAFKA_BOOTSTRAP_SERVERS`, with a unique topic per test either way.
struct TestCluster: Sendable {
    let bootstrapServers: [String]
    /// The embedded cluster, when not running against a real one; fault-injection tests need it.
    let embedded: EmbeddedKafkaCluster?

    static var realBootstrapServers: [String]? {
        guard let value = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"], !value.isEmpty else { return nil }
        return value.split(separator: ",").map(String.init)
    }

    /// Whether tests run against a real cluster.
    static var isReal: Bool { realBootstrapServers != nil }

    static func make(brokers: Int = 1) throws -> TestCluster {
        if let servers = realBootstrapServers {
            return TestCluster(bootstrapServers: servers, embedded: nil)
        }
        let cluster = try EmbeddedKafkaCluster(brokers: brokers)
        return TestCluster(bootstrapServers: cluster.bootstrapServers, embedded: cluster)
    }

    /// Creates a topic with a name no other test uses.
    func createTopic(_ prefix: String = "test", partitions: Int = 1, replicationFactor: Int = 1) throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.prefix(8))"
        if let embedded {
            try embedded.createTopic(name, partitions: partitions, replicationFactor: replicationFactor)
        } else {
            try RawAdmin.createTopic(name, partitions: partitions, replicationFactor: replicationFactor, bootstrapServers: bootstrapServers)
        }
        return name
    }

    /// The embedded cluster, for tests that need fault injection (they skip on a real cluster).
    func requireEmbedded() throws -> EmbeddedKafkaCluster {
        guard let embedded else { throw SkipReason("needs the embedded cluster's fault injection") }
        return embedded
    }

    func producerConfiguration(acks: ProducerConfiguration.Acks = .all) -> ProducerConfiguration {
        var configuration = ProducerConfiguration(bootstrapServers: bootstrapServers, acks: acks)
        configuration.linger = .milliseconds(1)
        return configuration
    }
}

struct SkipReason: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How much longer the tests' deadlines are in this run: `RDKAFKA_TEST_DEADLINE_SCALE`
/// (`make check-thread` sets 3: under ThreadSanitizer, with the whole suite running, group
/// joins and fetches take several times longer), 1 when unset.
enum TestDeadline {
    static let scale: Double = ProcessInfo.processInfo.environment["RDKAFKA_TEST_DEADLINE_SCALE"]
        .flatMap { Double($0) }
        .map { max($0, 1) } ?? 1

    /// `timeout`, stretched by ``scale``.
    static func scaled(_ timeout: Duration) -> Duration { scale == 1 ? timeout : timeout * scale }
}

/// Waits for `condition` with a deadline instead of sleeping a fixed time.
func eventually(
    timeout: Duration = .seconds(30),
    _ what: @autoclosure () -> String = "condition",
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + TestDeadline.scaled(timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TimeoutError(what: what())
}

struct TimeoutError: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}
