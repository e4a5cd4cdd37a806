/// Where a topic's partitions live, asked with any client's handle: the producer's and the
/// consumer's `partitionsFor` and the consumer's `listTopics`, as Java has them.
enum TopicMetadataLookup {
    /// The partitions of `topic`, by id; `unknownTopicOrPartition` when it does not exist.
    static func partitions(client: OpaquePointer, topic: String, timeout: Duration) async throws(KafkaError) -> [ClusterMetadata.Partition] {
        if let problem = TopicName.problem(with: topic) {
            throw KafkaError(code: .invalidArgument, message: problem, topic: topic)
        }
        let metadata = try await NativeAdmin.metadata(client: client, topics: [topic], timeout: timeout).get()
        guard let entry = metadata.topic(named: topic) else {
            throw KafkaError(code: .unknownTopicOrPartition, message: "topic '\(topic)' is not in the cluster's metadata", topic: topic)
        }
        if let error = entry.error { throw error }
        return entry.partitions.sorted { $0.id < $1.id }
    }

    /// Every topic but Kafka's internal ones (named `__…`), with its partitions by id.
    static func topics(client: OpaquePointer, timeout: Duration) async throws(KafkaError) -> [String: [ClusterMetadata.Partition]] {
        let metadata = try await NativeAdmin.metadata(client: client, topics: nil, timeout: timeout).get()
        var topics: [String: [ClusterMetadata.Partition]] = [:]
        for topic in metadata.topics where topic.error == nil && !topic.name.hasPrefix("__") {
            topics[topic.name] = topic.partitions.sorted { $0.id < $1.id }
        }
        return topics
    }
}
