extension KafkaAdminClient {
    /// Every consumer group the cluster knows.
    public func listConsumerGroups(timeout: Duration? = nil) async throws(KafkaError) -> [ConsumerGroupListing] {
        try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.listConsumerGroups(client: client, timeout: timeout)
        }
    }

    /// Members, assignments and state of each group, per group.
    public func describeConsumerGroups(_ groups: [String], timeout: Duration? = nil) async throws(KafkaError) -> [String: Result<ConsumerGroupDescription, KafkaError>] {
        for group in groups { try AdminValidation.groupID(group) }
        if groups.isEmpty { return [:] }
        return try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.describeConsumerGroups(client: client, groups, timeout: timeout)
        }
    }

    /// Deletes groups and their committed offsets, per group. A group with members fails
    /// with `nonEmptyGroup`.
    public func deleteConsumerGroups(_ groups: [String], timeout: Duration? = nil) async throws(KafkaError) -> [String: Result<Void, KafkaError>] {
        for group in groups { try AdminValidation.groupID(group) }
        if groups.isEmpty { return [:] }
        return try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.deleteConsumerGroups(client: client, groups, timeout: timeout)
        }
    }

    /// The offsets `group` has committed: for `partitions`, or for every partition it
    /// committed when `nil`. Partitions without a committed offset are left out.
    public func listConsumerGroupOffsets(
        _ group: String,
        partitions: [TopicPartition]? = nil,
        timeout: Duration? = nil
    ) async throws(KafkaError) -> [TopicPartition: Int64] {
        try AdminValidation.groupID(group)
        if let partitions { try AdminValidation.partitions(partitions) }
        let results = try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.listConsumerGroupOffsets(client: client, group: group, partitions: partitions, timeout: timeout)
        }
        var offsets: [TopicPartition: Int64] = [:]
        for (partition, result) in results {
            let offset = try result.get()
            if offset >= 0 { offsets[partition] = offset }
        }
        return offsets
    }

    /// Sets `group`'s committed offsets, per partition, for example to replay or skip
    /// records. The group must have no active members.
    public func alterConsumerGroupOffsets(
        _ group: String,
        offsets: [TopicPartition: Int64],
        timeout: Duration? = nil
    ) async throws(KafkaError) -> [TopicPartition: Result<Void, KafkaError>] {
        try AdminValidation.groupID(group)
        try AdminValidation.offsets(offsets)
        if offsets.isEmpty { return [:] }
        let results = try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.alterConsumerGroupOffsets(client: client, group: group, offsets: offsets, timeout: timeout)
        }
        return results.mapValues { $0.map { _ in () } }
    }

    /// Deletes every record before the given offset of each partition; the answer is each
    /// partition's new low watermark (its earliest remaining offset).
    public func deleteRecords(
        before offsets: [TopicPartition: Int64],
        timeout: Duration? = nil
    ) async throws(KafkaError) -> [TopicPartition: Result<Int64, KafkaError>] {
        try AdminValidation.offsets(offsets)
        if offsets.isEmpty { return [:] }
        return try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.deleteRecords(client: client, before: offsets, timeout: timeout)
        }
    }

    /// How far `group` is behind: for each partition it committed, the committed offset
    /// against the partition's high watermark. Works for any group, running or not.
    ///
    /// - Parameter topics: limit the answer to these topics' partitions; `nil` covers every
    ///   partition the group committed. (Naming them also serves brokers that do not answer
    ///   an offset fetch for all partitions, such as librdkafka's embedded mock.)
    public func consumerGroupLag(_ group: String, topics: [String]? = nil, timeout: Duration? = nil) async throws(KafkaError) -> ConsumerGroupLag {
        let deadline = ContinuousClock.now + (timeout ?? defaultTimeout)
        func remaining() throws(KafkaError) -> Duration {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                throw KafkaError(code: .timedOut, message: "the lag of group '\(group)' was not known in time")
            }
            return left
        }
        var partitions: [TopicPartition]?
        if let topics {
            let metadata = try await metadata(topics: topics, timeout: try remaining())
            var named: [TopicPartition] = []
            for topic in metadata.topics {
                if let error = topic.error { throw error }
                named += topic.partitions.map { TopicPartition(topic: topic.name, partition: $0.id) }
            }
            partitions = named
        }
        let committed = try await listConsumerGroupOffsets(group, partitions: partitions, timeout: try remaining())
        let watermarks = try await watermarks(of: Array(committed.keys), timeout: try remaining())
        var lag: [TopicPartition: PartitionLag] = [:]
        for (partition, offset) in committed {
            guard let high = try watermarks[partition]?.get().high else {
                throw KafkaError(code: .unknownPartition, message: "no watermark for \(partition)", topic: partition.topic, partition: partition.partition)
            }
            lag[partition] = PartitionLag(committedOffset: offset, highWatermark: high)
        }
        return ConsumerGroupLag(groupID: group, partitions: lag)
    }

    /// Brokers, topics and partitions (leaders, replicas, in-sync replicas): of `topics`, or
    /// of the whole cluster when `nil`.
    public func metadata(topics: [String]? = nil, timeout: Duration? = nil) async throws(KafkaError) -> ClusterMetadata {
        if let topics { try AdminValidation.uniqueTopicNames(topics) }
        return try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.metadata(client: client, topics: topics, timeout: timeout)
        }
    }

    /// The earliest and next offset of each partition (its low and high watermarks).
    public func watermarks(
        of partitions: [TopicPartition],
        timeout: Duration? = nil
    ) async throws(KafkaError) -> [TopicPartition: Result<Watermarks, KafkaError>] {
        try AdminValidation.partitions(partitions)
        return try await run(timeout: timeout) { client, timeout in
            .success(await NativeAdmin.watermarks(client: client, partitions, timeout: timeout))
        }
    }
}
