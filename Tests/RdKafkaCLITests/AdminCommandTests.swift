import Foundation
import Testing

/// `topics` and `groups` administration against a real broker (the embedded cluster has no
/// topic admin and no group listing), and `metadata` against both.
@Suite("admin commands")
struct AdminCommandTests {
    @Test func metadataListsTheTopic() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 2)
        let text = try await CLIProcess.run(["metadata"] + cluster.brokerArguments + ["-t", topic])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.output.contains(" 1 topics:\n  topic \"\(topic)\" with 2 partitions:\n    partition 0, leader "))
        let json = try await CLIProcess.run(["metadata"] + cluster.brokerArguments + ["-t", topic, "-J"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let topics = try #require(document["topics"] as? [[String: Any]])
        #expect(topics.count == 1)
        #expect((topics.first?["partitions"] as? [Any])?.count == 2)
        let listed = try await CLIProcess.run(["topics", "list"] + cluster.brokerArguments)
        #expect(listed.output.split(separator: "\n").contains(Substring(topic)))
    }

    @Test(.enabled(if: TestCluster.isReal, "the embedded cluster has no topic admin"))
    func topicLifecycle() async throws {
        let cluster = try TestCluster.make()
        let topic = "cli-admin-\(UUID().uuidString.prefix(8))"
        let run = { (arguments: [String]) in try await CLIProcess.run(["topics"] + arguments.prefix(1) + cluster.brokerArguments + arguments.dropFirst()) }

        let created = try await run(["create", topic, "--partitions", "2", "--replication-factor", "1", "--config", "retention.ms=3600000"])
        #expect(created.status == 0, "stderr: \(created.stderr)")
        #expect(created.output == "Created topic \(topic).\n")
        let duplicate = try await run(["create", topic, "--partitions", "2"])
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("TOPIC_ALREADY_EXISTS"), "\(duplicate.stderr)")

        let altered = try await run(["alter-config", topic, "--set", "cleanup.policy=compact"])
        #expect(altered.status == 0, "stderr: \(altered.stderr)")
        let grown = try await run(["add-partitions", topic, "--total", "3"])
        #expect(grown.status == 0, "stderr: \(grown.stderr)")
        try await eventually("three partitions and both settings") {
            let described = try await run(["describe", topic, "--configs"])
            let header = described.output.split(separator: "\n").first.map(String.init) ?? ""
            return header.contains("PartitionCount: 3") && header.contains("retention.ms=3600000") && header.contains("cleanup.policy=compact")
        }

        let deleted = try await run(["delete", topic])
        #expect(deleted.status == 0, "stderr: \(deleted.stderr)")
        #expect(deleted.output == "Deleted topic \(topic).\n")
        try await eventually("the topic is gone") {
            let described = try await run(["describe", topic])
            return described.status == 1 && described.stderr.contains("unknown topic")
        }
    }

    @Test(.enabled(if: TestCluster.isReal, "the embedded cluster cannot list, describe or delete groups"))
    func groupLifecycle() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic()
        let group = "cli-groups-\(UUID().uuidString.prefix(8))"
        _ = try await CLIProcess.run(["produce"] + cluster.brokerArguments + [topic], stdin: Array("a\nb\nc\n".utf8))
        let consumed = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-G", group, "-o", "beginning", "-c", "2", topic])
        #expect(consumed.output == "a\nb\n", "stderr: \(consumed.stderr)")

        try await eventually("the group is listed") {
            let listed = try await CLIProcess.run(["groups", "list"] + cluster.brokerArguments)
            return listed.output.contains(group)
        }
        let described = try await CLIProcess.run(["groups", "describe"] + cluster.brokerArguments + [group])
        #expect(described.status == 0, "stderr: \(described.stderr)")
        let row = described.output.split(separator: "\n").first { $0.hasPrefix(topic) }.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(row?.prefix(5).map(String.init) == [topic, "0", "2", "3", "1"], "\(described.output)")

        let deleted = try await CLIProcess.run(["groups", "delete"] + cluster.brokerArguments + [group])
        #expect(deleted.status == 0, "stderr: \(deleted.stderr)")
        #expect(deleted.output == "Deleted group \(group).\n")
    }
}
