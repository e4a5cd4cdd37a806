/// Asks a ``RecordPartitioner`` where a serialized record goes, checks the answer, and
/// turns a failure into the record's typed refusal.
///
/// The producer calls it for each record without an explicit partition, just before
/// handing the record to librdkafka with the answer as its partition: librdkafka 2.0.2
/// skips its own partitioner callback for keyless records and never shows it the value.
final class PartitionerPlacement: Sendable {
    private let partitioner: any RecordPartitioner
    private let topics: PartitionerTopicCache

    init(_ partitioner: any RecordPartitioner, topics: PartitionerTopicCache) {
        self.partitioner = partitioner
        self.topics = topics
    }

    /// The partition for one serialized record; `fetch` asks the cluster for a topic's
    /// partitions when they are not cached.
    func partition(
        topic: String,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        fetch: (String) -> Result<[ClusterMetadata.Partition], KafkaError>
    ) -> Result<Int32, KafkaError> {
        let partitions: [ClusterMetadata.Partition]
        switch topics.partitions(of: topic, fetch: fetch) {
        case .success(let known): partitions = known
        case .failure(let error): return .failure(error.concerning(topic: topic, partition: nil))
        }
        let chosen: Int32
        do {
            chosen = try partitioner.partition(topic: topic, key: key, value: value, partitions: partitions)
        } catch {
            return .failure(KafkaError(
                code: .invalidRecord,
                message: "the partitioner \(type(of: partitioner)) failed: \(error)",
                topic: topic,
                underlyingError: error
            ))
        }
        guard partitions.contains(where: { $0.id == chosen }) else {
            return .failure(KafkaError(
                code: .unknownPartition,
                message: "the partitioner \(type(of: partitioner)) chose partition \(chosen), which topic '\(topic)' does not have (it has \(partitions.count))",
                topic: topic,
                partition: chosen
            ))
        }
        return .success(chosen)
    }
}

extension KafkaProducer {
    /// The partitions of `topic` for a ``RecordPartitioner``, asked of the cluster and
    /// blocking up to ``ProducerConfiguration/maxBlock``, as a Java send waits for metadata.
    func partitionsForPlacement(_ topic: String) -> Result<[ClusterMetadata.Partition], KafkaError> {
        guard gate.enter() else { return .failure(.clientClosed("producer")) }
        defer { gate.leave() }
        let metadata = NativeAdmin.metadataBlocking(client: client.pointer, topics: [topic], milliseconds: Duration.timeoutMilliseconds(maxBlock))
        return metadata.flatMap { metadata in
            guard let entry = metadata.topic(named: topic) else {
                return .failure(KafkaError(code: .unknownTopicOrPartition, message: "topic '\(topic)' is not in the cluster's metadata", topic: topic))
            }
            if let error = entry.error { return .failure(error) }
            return .success(entry.partitions)
        }
    }
}
