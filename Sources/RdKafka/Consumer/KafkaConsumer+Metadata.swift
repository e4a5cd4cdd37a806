extension KafkaConsumer {
    /// The partitions of `topic` with their leaders, replicas and in-sync replicas (Java's
    /// `partitionsFor`), asked of the cluster.
    public func partitionsFor(_ topic: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> [ClusterMetadata.Partition] {
        guard gate.enter() else { throw .clientClosed("consumer") }
        defer { gate.leave() }
        return try await TopicMetadataLookup.partitions(client: native.client.pointer, topic: topic, timeout: timeout)
    }

    /// Every topic the cluster has, but its internal ones (`__consumer_offsets`, …), with
    /// their partitions (Java's `listTopics`).
    public func listTopics(timeout: Duration = .seconds(10)) async throws(KafkaError) -> [String: [ClusterMetadata.Partition]] {
        guard gate.enter() else { throw .clientClosed("consumer") }
        defer { gate.leave() }
        return try await TopicMetadataLookup.topics(client: native.client.pointer, timeout: timeout)
    }
}
