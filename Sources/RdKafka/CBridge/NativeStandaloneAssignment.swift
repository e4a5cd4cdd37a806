import CRdKafka

/// The assignment of a consumer without a group (no `group.id`).
///
/// librdkafka's assignment calls (`rd_kafka_assign` and the incremental ones) need a group
/// and answer `_UNKNOWN_GROUP` without one, and the consumer queue does not exist. So a
/// group-less consumer starts and stops each partition itself with the partition-level
/// calls (`rd_kafka_consume_start_queue` / `rd_kafka_consume_stop`), onto a queue of its
/// own that the reading code serves exactly like the consumer queue. Seek, pause, position
/// and watermarks work on the partitions so started.
///
/// Partitions never start at `stored` here: with no group there is no committed offset,
/// and librdkafka would ask the (absent) group for one. A partition given without an offset
/// starts where `auto.offset.reset` says instead, as a group member without a committed
/// offset would.
final class NativeStandaloneAssignment: @unchecked Sendable {
    // @unchecked: the mutable state is reached only under `lock`; the pointers are immutable.
    private let client: OpaquePointer
    private let queue: OpaquePointer
    private let resetOffset: Int64?
    private let lock = NativeLock()
    /// One topic handle per topic with started partitions; destroyed with its last partition.
    private var topics: [String: OpaquePointer] = [:]
    private var partitions: [TopicPartition] = []

    /// - Parameter resetPolicy: librdkafka's `auto.offset.reset` value.
    init(client: OpaquePointer, queue: OpaquePointer, resetPolicy: String?) {
        self.client = client
        self.queue = queue
        resetOffset = NativeOffset.reset(for: resetPolicy)
    }

    var assignment: [TopicPartition] {
        lock.withLock { partitions }
    }

    /// Replaces the assignment: stops every started partition, then starts `offsets`.
    func assign(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        try locked { () throws(KafkaError) in
            let starts = try startOffsets(offsets)
            for partition in partitions { stop(partition) }
            try start(starts)
        }
    }

    /// Adds partitions; one already assigned is refused, as librdkafka refuses it for a group.
    func incrementalAssign(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        try locked { () throws(KafkaError) in
            let starts = try startOffsets(offsets)
            if let duplicate = starts.first(where: { partitions.contains($0.topicPartition) }) {
                throw KafkaError(
                    code: .conflict,
                    message: "\(duplicate.topic) [\(duplicate.partition)] is already assigned",
                    topic: duplicate.topic,
                    partition: duplicate.partition
                )
            }
            try start(starts)
        }
    }

    /// Removes partitions; one not assigned is refused.
    func incrementalUnassign(_ removed: [TopicPartition]) throws(KafkaError) {
        try locked { () throws(KafkaError) in
            if let missing = removed.first(where: { !partitions.contains($0) }) {
                throw KafkaError(
                    code: .conflict,
                    message: "\(missing.topic) [\(missing.partition)] is not assigned",
                    topic: missing.topic,
                    partition: missing.partition
                )
            }
            for partition in removed { stop(partition) }
        }
    }

    /// Stops every partition and releases the topic handles; for close and destroy.
    func stopAll() {
        lock.withLock {
            for partition in partitions { stop(partition) }
        }
    }

    // MARK: Private (under the lock)

    /// Runs `body` under the lock, keeping its error type.
    private func locked(_ body: () throws(KafkaError) -> Void) throws(KafkaError) {
        try lock.withLock { Result { () throws(KafkaError) in try body() } }.get()
    }

    /// The offsets the partitions start at, with `stored` and `invalid` replaced by the
    /// reset policy; checks the arguments before anything is changed.
    private func startOffsets(_ offsets: [TopicPartitionOffset]) throws(KafkaError) -> [TopicPartitionOffset] {
        var seen = Set<TopicPartition>()
        var result: [TopicPartitionOffset] = []
        for offset in offsets {
            if let problem = TopicName.problem(with: offset.topic) {
                throw KafkaError(code: .invalidArgument, message: problem, topic: offset.topic)
            }
            guard offset.partition >= 0 else {
                throw KafkaError(
                    code: .invalidArgument,
                    message: "partition must not be negative (got \(offset.partition))",
                    topic: offset.topic,
                    partition: offset.partition
                )
            }
            guard seen.insert(offset.topicPartition).inserted else {
                throw KafkaError(
                    code: .invalidArgument,
                    message: "\(offset.topic) [\(offset.partition)] is given twice",
                    topic: offset.topic,
                    partition: offset.partition
                )
            }
            var start = offset.offset
            if start == NativeOffset.stored || start == NativeOffset.invalid {
                guard let resetOffset else {
                    throw KafkaError(
                        code: .invalidArgument,
                        message: "a consumer without a groupID has no committed offsets and autoOffsetReset is .error: assign an offset for \(offset.topic) [\(offset.partition)]",
                        topic: offset.topic,
                        partition: offset.partition
                    )
                }
                start = resetOffset
            }
            result.append(TopicPartitionOffset(offset.topicPartition, offset: start))
        }
        return result
    }

    /// Starts each partition; on a failure, stops the ones this call started and throws.
    private func start(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        var started: [TopicPartition] = []
        for offset in offsets {
            do {
                try start(offset)
                partitions.append(offset.topicPartition)
                started.append(offset.topicPartition)
            } catch {
                for partition in started { stop(partition) }
                throw error
            }
        }
    }

    private func start(_ offset: TopicPartitionOffset) throws(KafkaError) {
        let topic: OpaquePointer
        if let existing = topics[offset.topic] {
            topic = existing
        } else {
            // NULL only for an invalid name or topic configuration; the name was checked.
            guard let created = rd_kafka_topic_new(client, offset.topic, nil) else {
                throw NativeErrors.error(rd_kafka_last_error(), context: "no handle for topic '\(offset.topic)'", topic: offset.topic)
            }
            topics[offset.topic] = created
            topic = created
        }
        if rd_kafka_consume_start_queue(topic, offset.partition, offset.offset, queue) == -1 {
            let error = NativeErrors.error(
                rd_kafka_last_error(),
                context: "starting \(offset.topic) [\(offset.partition)] failed",
                topic: offset.topic,
                partition: offset.partition
            )
            releaseTopicIfUnused(offset.topic)
            throw error
        }
    }

    /// Stops fetching `partition` (blocks until the fetcher has stopped) and forgets it; its
    /// records still queued are dropped by librdkafka as outdated.
    private func stop(_ partition: TopicPartition) {
        partitions.removeAll { $0 == partition }
        guard let topic = topics[partition.topic] else { return }
        // Fails only for a partition that was not started, which the bookkeeping rules out.
        _ = rd_kafka_consume_stop(topic, partition.partition)
        releaseTopicIfUnused(partition.topic)
    }

    private func releaseTopicIfUnused(_ name: String) {
        guard !partitions.contains(where: { $0.topic == name }), let topic = topics[name] else { return }
        rd_kafka_topic_destroy(topic)
        topics[name] = nil
    }
}
