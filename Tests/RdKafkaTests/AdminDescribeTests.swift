import Foundation
import RdKafka
import Testing

/// Java's describeCluster, describeTopics, listOffsets and deleteConsumerGroupOffsets.
@Suite("Admin: describe the cluster and topics, list offsets, delete group offsets")
struct AdminDescribeTests {
    private func admin(_ cluster: TestCluster) throws -> KafkaAdminClient {
        var configuration = AdminConfiguration(bootstrapServers: cluster.bootstrapServers, defaultTimeout: .seconds(20))
        configuration.logger.logLevel = .critical
        return try KafkaAdminClient(configuration: configuration)
    }

    @Test("describeCluster names the brokers of the metadata, and a real cluster's id and controller")
    func describeCluster() async throws {
        let cluster = try TestCluster.make(brokers: 3)
        let admin = try admin(cluster)
        let description = try await admin.describeCluster()
        let metadata = try await admin.metadata()
        await admin.close()
        #expect(description.brokers == metadata.brokers)
        #expect(description.brokers.count == (try cluster.brokerCount()))
        // librdkafka 2.0.2's mock names controller 0, which is none of its brokers (1...n).
        if TestCluster.isReal {
            #expect(description.clusterID?.isEmpty == false, "a real cluster reports its id")
            let controller = try #require(description.controllerID)
            #expect(description.brokers.map(\.id).contains(controller))
        }
    }

    @Test("describeTopics: partitions with leaders and replicas, configs where the broker answers them, an unknown topic in its own result")
    func describeTopics() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("described", partitions: 3, configs: ["cleanup.policy": "compact"])
        let missing = "missing-\(UUID().uuidString.prefix(8))"
        let admin = try admin(cluster)
        // The embedded broker cannot describe configs (librdkafka 2.0.2's mock times out).
        let described = try await admin.describeTopics([topic, missing], includeConfigs: TestCluster.isReal)
        await admin.close()
        let description = try #require(try described[topic]?.get())
        #expect(description.partitions.map(\.id) == [0, 1, 2])
        for partition in description.partitions {
            #expect(partition.replicas.contains(partition.leader))
            #expect(!partition.inSyncReplicas.isEmpty)
        }
        if TestCluster.isReal {
            #expect(description.configs["cleanup.policy"]?.value == "compact")
        }
        let missingError = #expect(throws: KafkaError.self) { try described[missing]?.get() }
        #expect(missingError?.code == .unknownTopicOrPartition)
    }

    @Test("listOffsets: earliest, latest and (on a real cluster) by timestamp, for many partitions at once")
    func listOffsets() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(topicPrefix: "offsets", partitions: 2)
        let base: Int64 = 1_700_000_000_000
        for index in 0..<10 {
            let timestamp = KafkaTimestamp(millisecondsSinceEpoch: base + Int64(index) * 1_000)
            try await producer.send(ProducerRecord(topic: topic, partition: Int32(index % 2), key: "k", value: "v\(index)", timestamp: timestamp))
        }
        await producer.close()
        let zero = TopicPartition(topic: topic, partition: 0)
        let one = TopicPartition(topic: topic, partition: 1)
        let admin = try admin(cluster)
        let bounds = try await admin.listOffsets([zero: .earliest, one: .latest])
        #expect(try bounds[zero]?.get() == 0)
        #expect(try bounds[one]?.get() == 5)
        if TestCluster.isReal {
            // Partition 0 holds records 0, 2, 4, 6, 8 (at base + 0, 2, 4, 6, 8 s).
            let byTime = try await admin.listOffsets([
                zero: .timestamp(KafkaTimestamp(millisecondsSinceEpoch: base + 3_000)),
                one: .timestamp(KafkaTimestamp(millisecondsSinceEpoch: base + 60_000)),
            ])
            #expect(try byTime[zero]?.get() == 2, "the first record at or after base + 3 s is offset 2 (base + 4 s)")
            #expect(try byTime[one]?.get() == nil as Int64?, "no record after the last one")
        }
        await admin.close()
    }

    @Test(
        "deleteConsumerGroupOffsets removes a group's commits of the named partitions only",
        .enabled(if: TestCluster.isReal, "the embedded broker (librdkafka 2.0.2 mock) does not answer OffsetDelete")
    )
    func deleteGroupOffsets() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("group-offsets", partitions: 2)
        let group = "delete-offsets-\(UUID().uuidString.prefix(8))"
        let zero = TopicPartition(topic: topic, partition: 0)
        let one = TopicPartition(topic: topic, partition: 1)
        let admin = try admin(cluster)
        _ = try await admin.alterConsumerGroupOffsets(group, offsets: [zero: 3, one: 7])
        let deleted = try await admin.deleteConsumerGroupOffsets(group, partitions: [zero])
        #expect(throws: Never.self) { try deleted[zero]?.get() }
        let remaining = try await admin.listConsumerGroupOffsets(group, partitions: [zero, one])
        await admin.close()
        #expect(remaining[one] == 7)
        #expect((remaining[zero] ?? -1) < 0, "partition 0's commit is gone: \(String(describing: remaining[zero]))")
    }
}
