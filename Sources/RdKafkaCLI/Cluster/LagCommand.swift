import ArgumentParser
import RdKafka

/// `rdkafka lag`: how far a group is behind, per partition and in total.
struct LagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lag",
        abstract: "A group's committed offsets against each partition's end, and the total lag.",
        discussion: "Examples: rdkafka lag billing; rdkafka lag billing --topic orders"
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The group.")
    var group: String

    @Option(name: .customLong("topic"), help: "Only these topics (repeatable).")
    var topics: [String] = []

    func run() async throws {
        let connection = try connection.connect()
        let lag = try await connection.withAdmin { admin in
            if !topics.isEmpty { try await TopicCheck.require(topics, admin: admin, connection: connection) }
            do {
                return try await admin.consumerGroupLag(group, topics: topics.isEmpty ? nil : topics)
            } catch {
                throw CLIFailure(error, while: "reading the lag of group '\(group)'")
            }
        }
        var table = TextTable(header: ["TOPIC", "PARTITION", "COMMITTED", "END", "LAG"])
        for (partition, entry) in lag.partitions.sorted(by: { $0.key < $1.key }) {
            table.append([partition.topic, String(partition.partition), String(entry.committedOffset), String(entry.highWatermark), String(entry.lag)])
        }
        print(table.render() + "TOTAL LAG \(lag.totalLag)")
    }
}
