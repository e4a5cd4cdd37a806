/// The partitions of each topic a ``RecordPartitioner`` places records in, asked of the
/// cluster on first use and again once older than `maxAge` (Java's `metadata.max.age.ms`
/// is five minutes too). A failed refresh keeps the last answer, as Java goes on with
/// stale metadata.
final class PartitionerTopicCache: Sendable {
    private struct Entry {
        var partitions: [ClusterMetadata.Partition]
        var fetched: ContinuousClock.Instant
    }

    private let entries = Locked<[String: Entry]>([:])
    private let maxAge: Duration

    init(maxAge: Duration = .seconds(300)) {
        self.maxAge = maxAge
    }

    /// The partitions of `topic` by id; `fetch` asks the cluster (blocking) when the cache
    /// has no recent answer.
    func partitions(
        of topic: String,
        fetch: (String) -> Result<[ClusterMetadata.Partition], KafkaError>
    ) -> Result<[ClusterMetadata.Partition], KafkaError> {
        let now = ContinuousClock.now
        let cached = entries.withLock { $0[topic] }
        if let cached, now - cached.fetched < maxAge { return .success(cached.partitions) }
        switch fetch(topic) {
        case .success(let partitions) where !partitions.isEmpty:
            entries.withLock { $0[topic] = Entry(partitions: partitions, fetched: now) }
            return .success(partitions)
        case .success:
            if let cached { return .success(cached.partitions) }
            return .failure(KafkaError(code: .unknownTopicOrPartition, message: "topic '\(topic)' has no partitions in the cluster's metadata", topic: topic))
        case .failure(let error):
            if let cached { return .success(cached.partitions) }
            return .failure(error)
        }
    }
}
