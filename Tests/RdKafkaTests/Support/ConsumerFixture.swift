import RdKafka

extension TestCluster {
    /// The set-up most consumer tests start with: a cluster (``make(brokers:)``) and a fresh
    /// topic named after `topicPrefix` holding `count` string records from
    /// ``produce(topic:count:partitions:from:)``. The caller keeps the returned cluster for as
    /// long as it uses the topic: an embedded cluster ends when its last reference goes.
    static func makeWithRecords(
        _ count: Int,
        topicPrefix: String = "test",
        partitions: Int = 1
    ) async throws -> (cluster: TestCluster, topic: String) {
        let cluster = try make()
        let topic = try await cluster.topic(withRecords: count, partitions: partitions, prefix: topicPrefix)
        return (cluster, topic)
    }

    /// ``makeWithRecords(_:topicPrefix:partitions:)`` plus a string consumer assigned all the
    /// topic's partitions (``assignedConsumer(_:partitions:configuration:)``), outside any group.
    static func makeWithAssignedConsumer(
        records count: Int,
        topicPrefix: String = "test",
        partitions: Int = 1
    ) async throws -> (cluster: TestCluster, topic: String, consumer: KafkaConsumer<String, String>) {
        let (cluster, topic) = try await makeWithRecords(count, topicPrefix: topicPrefix, partitions: partitions)
        let consumer = try cluster.assignedConsumer(topic, partitions: partitions)
        return (cluster, topic, consumer)
    }
}
