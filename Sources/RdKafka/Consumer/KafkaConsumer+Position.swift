extension KafkaConsumer {
    /// Makes the next read of `partition` start at `offset`. The partition must be assigned.
    public func seek(_ partition: TopicPartition, to offset: Int64) throws(KafkaError) {
        guard offset >= 0 else {
            throw KafkaError(code: .invalidArgument, message: "seek offset must not be negative (got \(offset)); use seekToBeginning or seekToEnd", topic: partition.topic, partition: partition.partition)
        }
        try seek([TopicPartitionOffset(partition, offset: offset)])
    }

    /// Makes the next reads start at the oldest stored record of each partition.
    public func seekToBeginning(_ partitions: [TopicPartition]) throws(KafkaError) {
        try seek(partitions.map { TopicPartitionOffset($0, offset: NativeOffset.beginning) })
    }

    /// Makes the next reads start after the newest record of each partition.
    public func seekToEnd(_ partitions: [TopicPartition]) throws(KafkaError) {
        try seek(partitions.map { TopicPartitionOffset($0, offset: NativeOffset.end) })
    }

    /// Makes the next read of `partition` start at `offset.offset`, for example at an offset
    /// ``committedWithMetadata(_:timeout:)`` returned (Java's
    /// `seek(TopicPartition, OffsetAndMetadata)`). The metadata is not sent anywhere: Java
    /// uses only the offset's leader epoch, which librdkafka 2.0.2 does not expose.
    public func seek(_ partition: TopicPartition, to offset: OffsetAndMetadata) throws(KafkaError) {
        try seek(partition, to: offset.offset)
    }

    private func seek(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        // Inside onPartitionsAssigned: the start offsets go with the assignment.
        if rebalance.interceptSeek(offsets) { return }
        try withClient { native throws(KafkaError) in try native.seek(offsets, timeout: .seconds(10)) }
        reader.drop(.partitions(Set(offsets.map(\.topicPartition))))
    }

    /// Stops fetching from `partitions` until ``resume(_:)``; they stay assigned.
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        if rebalance.interceptPause(partitions, paused: true) { return }
        try pausedPartitions.change(partitions, paused: true) { () throws(KafkaError) in
            try withClient { native throws(KafkaError) in try native.pause(partitions) }
        }
        reader.drop(.paused(Set(partitions)))
    }

    /// Fetches from `partitions` again, from the first record not returned before the pause.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        if rebalance.interceptPause(partitions, paused: false) { return }
        try pausedPartitions.change(partitions, paused: false) { () throws(KafkaError) in
            try withClient { native throws(KafkaError) in try native.resume(partitions) }
        }
    }

    /// The assigned partitions paused with ``pause(_:)`` and not resumed since (Java's
    /// `paused()`). A partition that is revoked is no longer paused here, as in Java.
    public func paused() throws(KafkaError) -> Set<TopicPartition> {
        let assigned = try withClient { native throws(KafkaError) in try native.assignment() }
        return pausedPartitions.among(assigned)
    }

    /// The offset of the next record the consumer will return from `partition`; `nil` until
    /// it has returned one (or been seeked).
    ///
    /// Records the async sequence read ahead and has not returned yet do not count. Called
    /// from another task while the loop is inside `next()`, it may count them.
    public func position(_ partition: TopicPartition) throws(KafkaError) -> Int64? {
        if let buffered = reader.readAheadPosition(of: partition) { return buffered }
        let offsets = try withClient { native throws(KafkaError) in try native.positions([partition]) }
        guard let offset = offsets.first?.offset, offset >= 0 else { return nil }
        return offset
    }

    /// The offset of the next record the consumer will return from `partition`, found as
    /// Java's `position` finds it when nothing was read yet: the group's committed offset,
    /// else the start or end of the partition as ``ConsumerConfiguration/autoOffsetReset``
    /// says, asked of the cluster within `timeout`.
    ///
    /// That is where librdkafka starts reading an assigned partition, unless a commit or a
    /// seek came between the assignment and the first read.
    ///
    /// - Throws: `autoOffsetReset` when nothing was read, nothing is committed and the
    ///   policy is `.error`.
    public func position(_ partition: TopicPartition, fetchingWithin timeout: Duration) throws(KafkaError) -> Int64 {
        if let known = try position(partition) { return known }
        if native.standalone == nil, let committed = try committed([partition], timeout: timeout)[partition] {
            return committed
        }
        guard let reset = native.resetOffset else {
            throw KafkaError(
                code: .autoOffsetReset,
                message: "no position, no committed offset, and auto.offset.reset is error",
                topic: partition.topic,
                partition: partition.partition
            )
        }
        let found = try listOffsets([partition], at: reset, timeout: timeout)
        guard let offset = found[partition] else {
            throw KafkaError(code: .unknownTopicOrPartition, message: "no offset answered for the partition", topic: partition.topic, partition: partition.partition)
        }
        return offset
    }

    /// For each partition, the offset of the first record whose timestamp is at or after the
    /// given time; `nil` when there is none.
    public func offsetsForTimes(
        _ timestamps: [TopicPartition: KafkaTimestamp],
        timeout: Duration = .seconds(10)
    ) throws(KafkaError) -> [TopicPartition: Int64?] {
        let query = timestamps.map { TopicPartitionOffset($0.key, offset: $0.value.millisecondsSinceEpoch) }
        let answer = try withClient { native throws(KafkaError) in try native.offsetsForTimes(query, timeout: timeout) }
        var result: [TopicPartition: Int64?] = [:]
        for entry in answer { result[entry.topicPartition] = entry.offset >= 0 ? entry.offset : nil }
        return result
    }

    /// The watermarks librdkafka last saw for `partition` while fetching it, without a
    /// request; `nil` if it has not fetched it yet.
    public func cachedWatermarks(_ partition: TopicPartition) throws(KafkaError) -> Watermarks? {
        try withClient { native in native.cachedWatermarks(partition) }
    }

    /// The first offset still stored in each partition (Java's `beginningOffsets`), asked of
    /// the partitions' leaders in one request per leader.
    public func beginningOffsets(_ partitions: [TopicPartition], timeout: Duration = .seconds(10)) throws(KafkaError) -> [TopicPartition: Int64] {
        try listOffsets(partitions, at: NativeOffset.beginning, timeout: timeout)
    }

    /// The offset the next record of each partition will get (Java's `endOffsets`): the high
    /// watermark, or, for an ``ConsumerConfiguration/isolationLevel`` of `.readCommitted`,
    /// the last stable offset, as Java answers. One request per leader.
    public func endOffsets(_ partitions: [TopicPartition], timeout: Duration = .seconds(10)) throws(KafkaError) -> [TopicPartition: Int64] {
        try listOffsets(partitions, at: NativeOffset.end, timeout: timeout)
    }

    /// A ListOffsets request for the special time `at` (earliest or latest), which Kafka
    /// answers with the offset itself rather than a timestamp lookup.
    private func listOffsets(_ partitions: [TopicPartition], at special: Int64, timeout: Duration) throws(KafkaError) -> [TopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let query = partitions.map { TopicPartitionOffset($0, offset: special) }
        let answer = try withClient { native throws(KafkaError) in try native.offsetsForTimes(query, timeout: timeout) }
        var result: [TopicPartition: Int64] = [:]
        for entry in answer where entry.offset >= 0 { result[entry.topicPartition] = entry.offset }
        return result
    }

    /// Asks the partition's leader for its current watermarks.
    public func queryWatermarks(_ partition: TopicPartition, timeout: Duration = .seconds(10)) throws(KafkaError) -> Watermarks {
        try withClient { native throws(KafkaError) in try native.queryWatermarks(partition, timeout: timeout) }
    }

    /// How many records each assigned partition holds beyond the consumer's position: high
    /// watermark − position.
    ///
    /// Uses the watermarks of the last fetch and asks the broker only for partitions not
    /// fetched yet. A partition with no position yet counts from its committed offset, or
    /// from its low watermark.
    public func lag(timeout: Duration = .seconds(10)) throws(KafkaError) -> [TopicPartition: Int64] {
        try withClient { native throws(KafkaError) in
            let partitions = try native.assignment()
            guard !partitions.isEmpty else { return [:] }
            let positions = try native.positions(partitions)
            var committed: [TopicPartition: Int64]?
            var result: [TopicPartition: Int64] = [:]
            for entry in positions {
                let partition = entry.topicPartition
                let watermarks: Watermarks
                if let cached = native.cachedWatermarks(partition) {
                    watermarks = cached
                } else {
                    watermarks = try native.queryWatermarks(partition, timeout: timeout)
                }
                var start = entry.offset
                if start < 0 {
                    if committed == nil, native.standalone == nil {
                        committed = [:]
                        for offset in try native.committed(partitions, timeout: timeout) where offset.offset >= 0 {
                            committed?[offset.topicPartition] = offset.offset
                        }
                    }
                    start = committed?[partition] ?? watermarks.low
                }
                result[partition] = max(watermarks.high - start, 0)
            }
            return result
        }
    }
}

extension KafkaConsumer: ConsumerControl {}
