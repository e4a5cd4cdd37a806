import Foundation
import RdKafka

/// Where the benchmark runs: an in-process ``EmbeddedKafkaCluster`` (the default) or the
/// cluster named by `--bootstrap-servers`.
final class BenchEnvironment {
    let cluster: EmbeddedKafkaCluster?
    let bootstrapServers: [String]
    private let runID: String

    init(bootstrapServers: String?) throws {
        if let bootstrapServers {
            cluster = nil
            self.bootstrapServers = bootstrapServers.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
        } else {
            let cluster = try EmbeddedKafkaCluster(brokers: 1)
            self.cluster = cluster
            self.bootstrapServers = cluster.bootstrapServers
        }
        runID = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    var isEmbedded: Bool { cluster != nil }

    var brokerDescription: String {
        if isEmbedded {
            return "embedded (librdkafka mock cluster, 1 broker, in this process at \(bootstrapServers.joined(separator: ",")))"
        }
        return "external, \(bootstrapServers.joined(separator: ","))"
    }

    /// A fresh topic for one workload family. On the embedded cluster it is created with
    /// `partitions`; on an external cluster it is left to auto-creation (broker defaults).
    func topic(_ purpose: String, prefix: String, partitions: Int) throws -> String {
        let name = "\(prefix)-\(purpose)-\(runID)"
        try cluster?.createTopic(name, partitions: partitions, replicationFactor: 1)
        return name
    }
}
