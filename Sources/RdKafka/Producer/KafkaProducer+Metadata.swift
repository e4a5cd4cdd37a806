extension KafkaProducer {
    /// The partitions of `topic` with their leaders, replicas and in-sync replicas (Java's
    /// `partitionsFor`), asked of the cluster.
    public func partitionsFor(_ topic: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> [ClusterMetadata.Partition] {
        guard gate.enter() else { throw .clientClosed("producer") }
        defer { gate.leave() }
        return try await TopicMetadataLookup.partitions(client: client.pointer, topic: topic, timeout: timeout)
    }
}
