import ArgumentParser
import RdKafka

/// `rdkafka metadata`: brokers, topics and partitions, like kcat -L.
struct MetadataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metadata",
        abstract: "Brokers, topics, partitions, leaders, replicas and in-sync replicas.",
        discussion: "Examples: rdkafka metadata; rdkafka metadata -t orders -J"
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: [.customShort("t"), .customLong("topic")], help: "Only these topics (repeatable).")
    var topics: [String] = []

    @Flag(name: [.customShort("J"), .customLong("json")], help: "As one JSON document.")
    var json = false

    func run() async throws {
        let connection = try connection.connect()
        let metadata = try await connection.withAdmin { admin in
            do { return try await admin.metadata() } catch { throw CLIFailure(error, while: "reading metadata") }
        }
        for name in topics where metadata.topic(named: name) == nil { throw CLIFailure("unknown topic '\(name)'") }
        let selected = topics.isEmpty ? metadata.topics : metadata.topics.filter { topics.contains($0.name) }
        print(json ? Self.json(metadata, topics: selected) : Self.text(metadata, topics: selected), terminator: "")
    }

    static func text(_ metadata: ClusterMetadata, topics: [ClusterMetadata.Topic]) -> String {
        var text = "Metadata from broker \(metadata.originatingBrokerID):\n"
        text += " \(metadata.brokers.count) brokers:\n"
        for broker in metadata.brokers {
            text += "  broker \(broker.id) at \(broker.host):\(broker.port)\n"
        }
        text += " \(topics.count) topics:\n"
        for topic in topics {
            text += "  topic \"\(topic.name)\" with \(topic.partitions.count) partitions:"
            text += (topic.error.map { " error \($0.code.name)" } ?? "") + "\n"
            for partition in topic.partitions {
                text += "    partition \(partition.id), leader \(partition.leader)"
                text += ", replicas: \(partition.replicas.map(String.init).joined(separator: ","))"
                text += ", isrs: \(partition.inSyncReplicas.map(String.init).joined(separator: ","))"
                text += (partition.error.map { ", error \($0.code.name)" } ?? "") + "\n"
            }
        }
        return text
    }

    static func json(_ metadata: ClusterMetadata, topics: [ClusterMetadata.Topic]) -> String {
        let brokers = metadata.brokers.map { "{\"id\":\($0.id),\"host\":\(JSONRecordWriter.quoted($0.host)),\"port\":\($0.port)}" }
        let topicObjects = topics.map { topic in
            let partitions = topic.partitions.map { partition in
                "{\"partition\":\(partition.id),\"leader\":\(partition.leader),\"replicas\":[\(partition.replicas.map(String.init).joined(separator: ","))],\"isrs\":[\(partition.inSyncReplicas.map(String.init).joined(separator: ","))]}"
            }
            let error = topic.error.map { JSONRecordWriter.quoted($0.code.name) } ?? "null"
            return "{\"topic\":\(JSONRecordWriter.quoted(topic.name)),\"error\":\(error),\"partitions\":[\(partitions.joined(separator: ","))]}"
        }
        return "{\"originatingBroker\":\(metadata.originatingBrokerID),\"brokers\":[\(brokers.joined(separator: ","))],\"topics\":[\(topicObjects.joined(separator: ","))]}\n"
    }
}
