import Foundation
import RdKafka
import Testing

/// `groups reset-offsets`: a dry run shows the plan and changes nothing; `--execute` applies it.
@Suite("groups reset-offsets")
struct GroupResetOffsetsTests {
    /// A topic with 10 records in each of two partitions, timestamps 1700000000000 + offset.
    private func topicWithRecords(_ cluster: TestCluster) async throws -> String {
        let topic = try cluster.createTopic("reset", partitions: 2, configs: ["retention.ms": "-1"])
        var records: [ProducerRecord<[UInt8], [UInt8]>] = []
        for partition in Int32(0)...1 {
            for offset in 0..<10 {
                records.append(ProducerRecord(
                    topic: topic,
                    partition: partition,
                    key: nil,
                    value: Array("\(offset)".utf8),
                    timestamp: KafkaTimestamp(millisecondsSinceEpoch: 1_700_000_000_000 + Int64(offset))
                ))
            }
        }
        try await cluster.produce(records)
        return topic
    }

    private func committed(_ cluster: TestCluster, group: String, topic: String) async throws -> [Int32: Int64] {
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let partitions = [TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1)]
        let offsets: [TopicPartition: Int64]
        do {
            offsets = try await admin.listConsumerGroupOffsets(group, partitions: partitions)
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        var result: [Int32: Int64] = [:]
        for (partition, offset) in offsets { result[partition.partition] = offset }
        return result
    }

    /// A table's cells, row by row.
    private static func cells(_ table: String) -> [[String]] {
        table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    private func reset(_ cluster: TestCluster, _ group: String, _ arguments: [String]) async throws -> CLIResult {
        try await CLIProcess.run(["groups", "reset-offsets"] + cluster.brokerArguments + [group] + arguments)
    }

    @Test func dryRunShowsThePlanAndExecuteAppliesIt() async throws {
        let cluster = try TestCluster.make()
        let topic = try await topicWithRecords(cluster)
        let group = "cli-reset-\(UUID().uuidString.prefix(8))"

        let start = try await reset(cluster, group, ["--topic", "\(topic):0", "--to-offset", "5", "--execute"])
        #expect(start.status == 0, "stderr: \(start.stderr)")
        #expect(try await committed(cluster, group: group, topic: topic) == [0: 5])

        let dryRun = try await reset(cluster, group, ["--topic", topic, "--to-earliest"])
        #expect(dryRun.status == 0, "stderr: \(dryRun.stderr)")
        #expect(Self.cells(dryRun.output) == [
            ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET"],
            [group, topic, "0", "5", "0"],
            [group, topic, "1", "-", "0"],
        ])
        #expect(dryRun.stderr.contains("Dry run"))
        #expect(try await committed(cluster, group: group, topic: topic) == [0: 5])

        let executed = try await reset(cluster, group, ["--topic", topic, "--to-earliest", "--execute"])
        #expect(executed.status == 0, "stderr: \(executed.stderr)")
        #expect(executed.output == dryRun.output)
        #expect(try await committed(cluster, group: group, topic: topic) == [0: 0, 1: 0])

        let shifted = try await reset(cluster, group, ["--topic", topic, "--shift-by", "3", "--execute"])
        #expect(shifted.status == 0, "stderr: \(shifted.stderr)")
        #expect(try await committed(cluster, group: group, topic: topic) == [0: 3, 1: 3])

        let back = try await reset(cluster, group, ["--topic", "\(topic):1", "--shift-by", "-100", "--execute"])
        #expect(back.status == 0, "stderr: \(back.stderr)")
        let latest = try await reset(cluster, group, ["--topic", "\(topic):0", "--to-latest", "--execute"])
        #expect(latest.status == 0, "stderr: \(latest.stderr)")
        #expect(try await committed(cluster, group: group, topic: topic) == [0: 10, 1: 0])

        let lag = try await CLIProcess.run(["lag"] + cluster.brokerArguments + [group, "--topic", topic])
        #expect(lag.output.hasSuffix("TOTAL LAG 10\n"), "\(lag.output)")
    }

    @Test(.enabled(if: TestCluster.isReal, "the embedded cluster does not look up offsets by time"))
    func toDatetime() async throws {
        let cluster = try TestCluster.make()
        let topic = try await topicWithRecords(cluster)
        let group = "cli-reset-time-\(UUID().uuidString.prefix(8))"
        let result = try await reset(cluster, group, ["--topic", topic, "--to-datetime", "2023-11-14T22:13:20.004Z", "--execute"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try await committed(cluster, group: group, topic: topic) == [0: 4, 1: 4])
    }

    @Test(.enabled(if: TestCluster.isReal, "the embedded cluster cannot list a group's offsets for all partitions"))
    func allTopics() async throws {
        let cluster = try TestCluster.make()
        let topic = try await topicWithRecords(cluster)
        let group = "cli-reset-all-\(UUID().uuidString.prefix(8))"
        _ = try await reset(cluster, group, ["--topic", topic, "--to-offset", "7", "--execute"])
        let result = try await reset(cluster, group, ["--all-topics", "--shift-by", "-2", "--execute"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try await committed(cluster, group: group, topic: topic) == [0: 5, 1: 5])
    }
}
