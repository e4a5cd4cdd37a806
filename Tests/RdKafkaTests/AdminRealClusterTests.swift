import Foundation
import RdKafka
import Testing

/// Admin requests librdkafka 2.0.2's embedded broker cannot answer (topic and configuration
/// admin time out there; group listing, description, deletion and record deletion are
/// unsupported, and two of them hang or abort the client). They run against the cluster in
/// KAFKA_BOOTSTRAP_SERVERS.
@Suite(
    "Admin client on a real cluster",
    .enabled(if: TestCluster.isReal, "needs KAFKA_BOOTSTRAP_SERVERS: the embedded broker cannot create topics, alter configs or describe/delete groups")
)
struct AdminRealClusterTests {
    private func admin(_ cluster: TestCluster) throws -> KafkaAdminClient {
        try KafkaAdminClient(configuration: AdminConfiguration(bootstrapServers: cluster.bootstrapServers, defaultTimeout: .seconds(20)))
    }

    @Test("topics: a batch answers per topic, then partitions grow, configs change, topics go")
    func topicLifecycle() async throws {
        let cluster = try TestCluster.make()
        let existing = try cluster.createTopic("exists")
        let fresh = "fresh-\(UUID().uuidString.prefix(8))"
        let admin = try admin(cluster)

        let created = try await admin.createTopics([
            NewTopic(name: existing, partitions: 1, replicationFactor: 1),
            NewTopic(name: fresh, partitions: 2, replicationFactor: 1, configs: ["retention.ms": "3600000"]),
        ])
        #expect(throws: KafkaError.self) { try created[existing]?.get() }
        #expect(created[existing].map { if case .failure(let error) = $0 { error.code == .topicAlreadyExists } else { false } } == true)
        try created[fresh]?.get()

        try await eventually(timeout: .seconds(20), "the new topic in metadata") {
            try await admin.metadata(topics: [fresh]).topic(named: fresh)?.partitions.count == 2
        }
        try await admin.createPartitions([fresh: 4]).single(fresh)
        try await eventually(timeout: .seconds(20), "four partitions") {
            try await admin.metadata(topics: [fresh]).topic(named: fresh)?.partitions.count == 4
        }

        let described = try await admin.describeConfigs([.topic(fresh)])
        let configs = try #require(try described[.topic(fresh)]?.get())
        #expect(configs["retention.ms"]?.value == "3600000")
        #expect(configs["retention.ms"]?.source == .dynamicTopic)

        let altered = try await admin.alterConfigs([.topic(fresh): ["retention.ms": "7200000"]])
        try altered[.topic(fresh)]?.get()
        try await eventually(timeout: .seconds(20), "the altered value") {
            let value = try await admin.describeConfigs([.topic(fresh)])[.topic(fresh)]?.get()["retention.ms"]?.value
            return value == "7200000"
        }

        let deleted = try await admin.deleteTopics([fresh, existing])
        try deleted[fresh]?.get()
        try deleted[existing]?.get()
        await admin.close()
    }

    @Test("groups: an offsets-only group is listed, described and deleted")
    func groupLifecycle() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("groups")
        let group = "admin-\(UUID().uuidString.prefix(8))"
        let admin = try admin(cluster)
        let partition = TopicPartition(topic: topic, partition: 0)
        try await admin.alterConsumerGroupOffsets(group, offsets: [partition: 0])[partition]?.get()

        let listings = try await admin.listConsumerGroups()
        #expect(listings.contains { $0.groupID == group })
        let description = try #require(try await admin.describeConsumerGroups([group])[group]?.get())
        #expect(description.members.isEmpty)
        #expect(description.state == .empty)

        let deleted = try await admin.deleteConsumerGroups([group, "missing-\(group)"])
        try deleted[group]?.get()
        #expect(throws: KafkaError.self) { try deleted["missing-\(group)"]?.get() }
        #expect(try await admin.listConsumerGroupOffsets(group).isEmpty)
        await admin.close()
    }

    // The embedded broker creates every topic it is asked about, whatever the request says.
    @Test("asking for an unknown topic's metadata reports it unknown and does not create it")
    func metadataForUnknownTopic() async throws {
        let cluster = try TestCluster.make()
        let name = "unknown-\(UUID().uuidString.prefix(8))"
        let admin = try admin(cluster)
        let first = try await admin.metadata(topics: [name])
        let again = try await admin.metadata()
        await admin.close()
        #expect(first.topic(named: name)?.error?.code == .unknownTopicOrPartition)
        #expect(again.topic(named: name) == nil)
    }

    @Test("deleting records moves the low watermark")
    func deleteRecords() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(topicPrefix: "delete-records")
        for index in 0..<10 { try await producer.send(ProducerRecord(topic: topic, partition: 0, key: nil, value: "v\(index)")) }
        await producer.close()
        let admin = try admin(cluster)
        let partition = TopicPartition(topic: topic, partition: 0)
        let result = try await admin.deleteRecords(before: [partition: 4])
        #expect(try result[partition]?.get() == 4)
        let marks = try await admin.watermarks(of: [partition])
        #expect(try marks[partition]?.get() == Watermarks(low: 4, high: 10))
        let records = try RawConsumer.readAll(topic: topic, count: 6, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map(\.offset) == Array(4..<10))
        await admin.close()
    }
}

extension Dictionary where Key == String, Value == Result<Void, KafkaError> {
    func single(_ name: String) throws {
        guard let result = self[name] else { throw TestSetupError("no result for \(name)") }
        try result.get()
    }
}
