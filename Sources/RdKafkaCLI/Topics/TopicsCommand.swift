import ArgumentParser
import RdKafka

/// `rdkafka topics`: kafka-topics and kafka-configs for topics.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "List, describe, create, delete and reconfigure topics.",
        subcommands: [
            TopicsListCommand.self,
            TopicsDescribeCommand.self,
            TopicsCreateCommand.self,
            TopicsDeleteCommand.self,
            TopicsAlterConfigCommand.self,
            TopicsAddPartitionsCommand.self,
        ]
    )
}

struct TopicsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Topic names, one per line.",
        discussion: "Example: rdkafka topics list --internal"
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .customLong("internal"), help: "Also list internal topics (names starting with __).")
    var includeInternal = false

    func run() async throws {
        let connection = try connection.connect()
        let metadata = try await connection.withAdmin { admin in
            do { return try await admin.metadata() } catch { throw CLIFailure(error, while: "listing topics") }
        }
        let output = OutputStream.standardOutput()
        for topic in metadata.topics where includeInternal || !topic.name.hasPrefix("__") {
            output.write(topic.name + "\n")
        }
        output.flush()
    }
}

struct TopicsDescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Partitions, leaders, replicas and in-sync replicas of topics (all without names).",
        discussion: "Example: rdkafka topics describe orders --configs"
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "Topics to describe (default: all but internal ones).")
    var topics: [String] = []

    @Flag(help: "Also print each topic's settings that differ from the defaults.")
    var configs = false

    func run() async throws {
        let connection = try connection.connect()
        let output = OutputStream.standardOutput()
        try await connection.withAdmin { admin in
            let metadata: ClusterMetadata
            do { metadata = try await admin.metadata() } catch { throw CLIFailure(error, while: "describing topics") }
            for name in topics where metadata.topic(named: name) == nil {
                throw CLIFailure("unknown topic '\(name)'")
            }
            let selected = topics.isEmpty
                ? metadata.topics.filter { !$0.name.hasPrefix("__") }
                : metadata.topics.filter { topics.contains($0.name) }
            var settings: [ConfigResource: Result<[String: ConfigEntry], KafkaError>] = [:]
            if configs, !selected.isEmpty {
                do {
                    settings = try await admin.describeConfigs(selected.map { .topic($0.name) })
                } catch {
                    throw CLIFailure(error, while: "reading topic configs")
                }
            }
            for topic in selected {
                var line = "Topic: \(topic.name)\tPartitionCount: \(topic.partitions.count)\tReplicationFactor: \(topic.partitions.first?.replicas.count ?? 0)"
                if configs {
                    let entries = try settings[.topic(topic.name)]?.get() ?? [:]
                    let changed = entries.values.filter { $0.source == .dynamicTopic }.sorted { $0.name < $1.name }
                    line += "\tConfigs: " + changed.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: ",")
                }
                output.write(line + "\n")
                for partition in topic.partitions {
                    var partitionLine = "\tTopic: \(topic.name)\tPartition: \(partition.id)\tLeader: \(partition.leader)"
                    partitionLine += "\tReplicas: \(partition.replicas.map(String.init).joined(separator: ","))"
                    partitionLine += "\tIsr: \(partition.inSyncReplicas.map(String.init).joined(separator: ","))"
                    if let error = partition.error { partitionLine += "\tError: \(error.code.name)" }
                    output.write(partitionLine + "\n")
                }
            }
        }
        output.flush()
    }
}
