import Foundation
import RdKafka
import Testing

/// Admin requests the embedded broker answers: metadata, watermarks, group offsets, lag,
/// plus timeout mapping and validation. (DescribeConsumerGroups and DeleteGroups are never
/// sent to librdkafka 2.0.2's mock: they hang or abort the process there; ListConsumerGroups
/// answers UNSUPPORTED_FEATURE and leaks 176 bytes inside librdkafka, which fails the
/// AddressSanitizer run. They are tested in AdminRealClusterTests.)
@Suite("Admin client on the embedded broker")
struct AdminTests {
    private func admin(_ cluster: TestCluster, timeout: Duration = .seconds(10)) throws -> KafkaAdminClient {
        var configuration = AdminConfiguration(bootstrapServers: cluster.bootstrapServers, defaultTimeout: timeout)
        configuration.logger = InMemoryLogHandler.logger(level: .error).0
        return try KafkaAdminClient(configuration: configuration)
    }

    private func produce(_ cluster: TestCluster, topic: String, counts: [Int32: Int]) async throws {
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .string)
        for (partition, count) in counts {
            for index in 0..<count {
                try await producer.send(ProducerRecord(topic: topic, partition: partition, key: "k\(index)", value: "v\(index)"))
            }
        }
        await producer.close()
    }

    @Test("metadata names every broker, and each partition's leader, replicas and in-sync replicas")
    func metadata() async throws {
        let cluster = try TestCluster.make(brokers: 3)
        let replication = min(3, try cluster.brokerCount())
        let topic = try cluster.createTopic("meta", partitions: 4, replicationFactor: replication)
        let admin = try admin(cluster)
        let metadata = try await admin.metadata()
        await admin.close()

        if cluster.embedded != nil { #expect(metadata.brokers.map(\.id) == [1, 2, 3]) }
        let brokerIDs = Set(metadata.brokers.map(\.id))
        #expect(brokerIDs.contains(metadata.originatingBrokerID))
        let entry = try #require(metadata.topic(named: topic))
        #expect(entry.error == nil)
        #expect(entry.partitions.map(\.id) == [0, 1, 2, 3])
        for partition in entry.partitions {
            #expect(brokerIDs.contains(partition.leader))
            #expect(partition.replicas.count == replication)
            #expect(Set(partition.replicas).isSubset(of: brokerIDs))
            #expect(partition.replicas.contains(partition.leader))
            #expect(Set(partition.inSyncReplicas).isSubset(of: Set(partition.replicas)))
            #expect(!partition.inSyncReplicas.isEmpty)
        }
    }

    @Test("metadata for named topics returns just those topics")
    func metadataForTopics() async throws {
        let cluster = try TestCluster.make()
        let first = try cluster.createTopic("meta-a", partitions: 2)
        let second = try cluster.createTopic("meta-b", partitions: 3)
        let admin = try admin(cluster)
        let one = try await admin.metadata(topics: [first])
        let two = try await admin.metadata(topics: [first, second])
        await admin.close()
        #expect(one.topics.map(\.name) == [first])
        #expect(one.topics.first?.partitions.count == 2)
        #expect(Set(two.topics.map(\.name)) == [first, second])
        #expect(two.topic(named: second)?.partitions.count == 3)
    }

    @Test("watermarks follow what was produced")
    func watermarks() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("marks", partitions: 2)
        try await produce(cluster, topic: topic, counts: [0: 5, 1: 2])
        let admin = try admin(cluster)
        let marks = try await admin.watermarks(of: [TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1)])
        await admin.close()
        #expect(try marks[TopicPartition(topic: topic, partition: 0)]?.get() == Watermarks(low: 0, high: 5))
        #expect(try marks[TopicPartition(topic: topic, partition: 1)]?.get() == Watermarks(low: 0, high: 2))
    }

    @Test("offsets set with alter are listed back, per partition")
    func alterAndListGroupOffsets() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("offsets", partitions: 3)
        try await produce(cluster, topic: topic, counts: [0: 10, 1: 10, 2: 10])
        let group = "group-\(UUID().uuidString.prefix(8))"
        let wanted: [TopicPartition: Int64] = [
            TopicPartition(topic: topic, partition: 0): 3,
            TopicPartition(topic: topic, partition: 1): 7,
            TopicPartition(topic: topic, partition: 2): 10,
        ]
        let admin = try admin(cluster)
        let altered = try await admin.alterConsumerGroupOffsets(group, offsets: wanted)
        #expect(Set(altered.keys) == Set(wanted.keys))
        for result in altered.values { try result.get() }
        // The embedded broker answers an offset fetch only for named partitions; a real one
        // also for "every partition the group committed".
        let listed = try await admin.listConsumerGroupOffsets(group, partitions: cluster.embedded == nil ? nil : Array(wanted.keys))
        let some = try await admin.listConsumerGroupOffsets(group, partitions: [TopicPartition(topic: topic, partition: 1)])
        await admin.close()
        #expect(listed == wanted)
        #expect(some == [TopicPartition(topic: topic, partition: 1): 7])
    }

    @Test("lag is the high watermark minus the committed offset, per partition and in total")
    func lag() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("lag", partitions: 2)
        try await produce(cluster, topic: topic, counts: [0: 10, 1: 4])
        let group = "lag-\(UUID().uuidString.prefix(8))"
        let admin = try admin(cluster)
        let p0 = TopicPartition(topic: topic, partition: 0)
        let p1 = TopicPartition(topic: topic, partition: 1)
        for result in try await admin.alterConsumerGroupOffsets(group, offsets: [p0: 3, p1: 4]).values { try result.get() }
        let lag = try await admin.consumerGroupLag(group, topics: [topic])
        let all = cluster.embedded == nil ? try await admin.consumerGroupLag(group) : lag
        await admin.close()
        #expect(all == lag)
        #expect(lag.groupID == group)
        #expect(lag.partitions[p0] == PartitionLag(committedOffset: 3, highWatermark: 10))
        #expect(lag.partitions[p0]?.lag == 7)
        #expect(lag.partitions[p1]?.lag == 0)
        #expect(lag.totalLag == 7)
    }

    @Test(
        "a request the broker does not answer in time fails with a typed timeout",
        .enabled(if: !TestCluster.isReal, "relies on the embedded broker never answering CreateTopics")
    )
    func timeoutIsTyped() async throws {
        let cluster = try TestCluster.make()
        // A long default, so finishing early shows the call's own timeout applied.
        let admin = try admin(cluster, timeout: .seconds(120))
        let started = ContinuousClock.now
        let error = await #expect(throws: KafkaError.self) {
            try await admin.createTopic(NewTopic(name: "never-\(UUID().uuidString.prefix(8))", partitions: 1, replicationFactor: 1), timeout: .milliseconds(500))
        }
        let elapsed = started.duration(to: .now)
        await admin.close()
        #expect(error?.code == .timedOut)
        // librdkafka checks admin timeouts on a timer; sanitizer builds on a loaded machine
        // take several seconds more than the 500 ms asked for.
        #expect(elapsed < .seconds(30))
    }

    @Test("invalid requests fail with invalidArgument before anything is sent")
    func validation() async throws {
        // Nothing listens on port 1: a request that were sent would time out instead.
        var configuration = AdminConfiguration(bootstrapServers: ["127.0.0.1:1"], defaultTimeout: .seconds(20))
        configuration.logger = InMemoryLogHandler.logger(level: .critical).0
        configuration.onError = { _ in }
        let admin = try KafkaAdminClient(configuration: configuration)
        let p0 = TopicPartition(topic: "t", partition: 0)
        let started = ContinuousClock.now
        func expectInvalid(_ what: String, _ body: () async throws -> Void) async {
            do {
                try await body()
                Issue.record("\(what): no error")
            } catch let error as KafkaError {
                #expect(error.code == .invalidArgument, "\(what): \(error)")
            } catch {
                Issue.record("\(what): \(error)")
            }
        }
        await expectInvalid("empty topic name") { _ = try await admin.createTopics([NewTopic(name: "", partitions: 1)]) }
        await expectInvalid("zero partitions") { _ = try await admin.createTopics([NewTopic(name: "a", partitions: 0)]) }
        await expectInvalid("zero replicas") { _ = try await admin.createTopics([NewTopic(name: "a", partitions: 1, replicationFactor: 0)]) }
        await expectInvalid("bad characters") { _ = try await admin.createTopics([NewTopic(name: "a b/c", partitions: 1)]) }
        await expectInvalid("duplicate") { _ = try await admin.createTopics([NewTopic(name: "a"), NewTopic(name: "a")]) }
        await expectInvalid("too long") { _ = try await admin.deleteTopics([String(repeating: "x", count: 250)]) }
        await expectInvalid("partitions below one") { _ = try await admin.createPartitions(["a": 0]) }
        await expectInvalid("broker id") { _ = try await admin.describeConfigs([ConfigResource(kind: .broker, name: "leader")]) }
        await expectInvalid("empty config name") { _ = try await admin.alterConfigs([.topic("a"): ["": "1"]]) }
        await expectInvalid("empty group") { _ = try await admin.listConsumerGroupOffsets("") }
        await expectInvalid("empty group to delete") { _ = try await admin.deleteConsumerGroups(["ok", ""]) }
        await expectInvalid("negative offset") { _ = try await admin.alterConsumerGroupOffsets("g", offsets: [p0: -1]) }
        await expectInvalid("negative partition") { _ = try await admin.deleteRecords(before: [TopicPartition(topic: "t", partition: -1): 1]) }
        await expectInvalid("zero timeout") { _ = try await admin.metadata(timeout: .zero) }
        #expect(started.duration(to: .now) < .seconds(2))
        // An empty batch is answered without a request.
        #expect(try await admin.createTopics([]).isEmpty)
        await admin.close()
    }

    @Test("a closed admin client refuses requests with clientClosed, and closing twice is safe")
    func closed() async throws {
        let cluster = try TestCluster.make()
        let admin = try admin(cluster)
        await admin.close()
        await admin.close()
        let error = await #expect(throws: KafkaError.self) { _ = try await admin.metadata() }
        #expect(error?.code == .clientClosed)
    }
}
