import Foundation
import RdKafka

// A trimmed copy of Tests/RdKafkaTests/Support/TestCluster.swift for this target: the two
// test targets cannot share sources, and this one needs only a cluster, topics and a clock.

/// The cluster a CLI test runs against: a fresh embedded cluster in the test process (the
/// binary reaches it on loopback), or the real one named by `KAFKA_BOOTSTRAP_SERVERS`.
struct CLITestCluster: Sendable {
    let bootstrapServers: [String]
    let embedded: EmbeddedKafkaCluster?

    static var realBootstrapServers: [String]? {
        guard let value = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"], !value.isEmpty else { return nil }
        return value.split(separator: ",").map(String.init)
    }

    /// Whether tests run against a real cluster.
    static var isReal: Bool { realBootstrapServers != nil }

    static func make() throws -> CLITestCluster {
        if let servers = realBootstrapServers { return CLITestCluster(bootstrapServers: servers, embedded: nil) }
        let cluster = try EmbeddedKafkaCluster()
        return CLITestCluster(bootstrapServers: cluster.bootstrapServers, embedded: cluster)
    }

    /// `-b` for the binary.
    var brokerArguments: [String] { ["-b", bootstrapServers.joined(separator: ",")] }

    /// A topic no other test uses.
    func createTopic(_ prefix: String = "cli", partitions: Int = 1, configs: [String: String] = [:]) async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.prefix(8))"
        if let embedded {
            try embedded.createTopic(name, partitions: partitions)
        } else {
            let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: bootstrapServers))
            do {
                try await admin.createTopic(NewTopic(name: name, partitions: partitions, replicationFactor: 1, configs: configs))
            } catch {
                await admin.close()
                throw error
            }
            await admin.close()
        }
        return name
    }

    /// Sends records through the library, for tests that need exact timestamps or partitions.
    func produce(_ records: [ProducerRecord<[UInt8], [UInt8]>]) async throws {
        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: bootstrapServers, acks: .all))
        do {
            for record in records { try await producer.send(record) }
        } catch {
            await producer.close()
            throw error
        }
        await producer.close()
    }
}

/// Waits for `condition` with a deadline instead of sleeping a fixed time.
func eventually(
    timeout: Duration = .seconds(30),
    _ what: @autoclosure () -> String = "condition",
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw CLITestTimeout(what: what())
}

struct CLITestTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}
