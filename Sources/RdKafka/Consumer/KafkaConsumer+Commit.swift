extension KafkaConsumer {
    /// Commits the offsets of the records returned so far (with manual offset store, the
    /// offsets you stored) and waits for the coordinator's answer, blocking the calling
    /// thread: for threads you own and for a ``RebalanceListener``. Async code uses
    /// ``commit()``, which suspends instead.
    ///
    /// - Throws: a ``KafkaError``; `rebalanceInProgress` (retriable) while the group
    ///   rebalances, `unknownGroup` without a group.
    public func commitSync() throws(KafkaError) {
        try requireGroup("commitSync")
        try withClient { native throws(KafkaError) in try native.commitSync(nil) }
    }

    /// Commits the given offsets (each the offset of the *next* record to read) and waits,
    /// blocking the calling thread.
    public func commitSync(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        try requireGroup("commitSync")
        guard !offsets.isEmpty else { return }
        try withClient { native throws(KafkaError) in try native.commitSync(offsets) }
        poller.interceptors?.onCommit(offsets)
    }

    /// Commits the offsets of the records returned so far (with manual offset store, the
    /// offsets you stored), suspending without blocking a thread until the coordinator
    /// answers.
    ///
    /// - Throws: a ``KafkaError``; `rebalanceInProgress` (retriable) while the group
    ///   rebalances, `unknownGroup` without a group.
    public func commit() async throws(KafkaError) {
        try requireGroup("commit")
        try await commitAwaiting(nil)
    }

    /// Commits the given offsets, suspending until the answer.
    public func commit(_ offsets: [TopicPartitionOffset]) async throws(KafkaError) {
        try requireGroup("commit")
        guard !offsets.isEmpty else { return }
        try await commitAwaiting(offsets)
    }

    /// Starts a commit (of `offsets`, or of the records returned so far) and calls
    /// `completion` with the committed offsets or the error, on librdkafka's background
    /// thread: keep it short. Without a completion, a failure is logged.
    public func commitAsync(
        _ offsets: [TopicPartitionOffset]? = nil,
        completion: (@Sendable (Result<[TopicPartitionOffset], KafkaError>) -> Void)? = nil
    ) {
        let logger = events.logger
        var body = completion ?? { result in
            if case .failure(let error) = result {
                logger.warning("asynchronous commit failed", metadata: ["error": "\(error)"])
            }
        }
        if let interceptors = poller.interceptors {
            let original = body
            body = { result in
                if case .success(let committed) = result { interceptors.onCommit(committed) }
                original(result)
            }
        }
        do {
            try requireGroup("commitAsync")
        } catch {
            body(.failure(error))
            return
        }
        let opaque = CommitCompletion(body).retainedOpaque()
        do {
            try withClient { native throws(KafkaError) in try native.commitAsync(offsets, opaque: opaque) }
        } catch {
            CommitCompletion.takeRetained(opaque).complete(.failure(error))
        }
    }

    private func commitAwaiting(_ offsets: [TopicPartitionOffset]?) async throws(KafkaError) {
        let result = await withUnsafeContinuation { (continuation: UnsafeContinuation<Result<[TopicPartitionOffset], KafkaError>, Never>) in
            commitAsync(offsets) { continuation.resume(returning: $0) }
        }
        _ = try result.get()
    }

    /// Marks `record` processed: its next offset is committed by the next auto commit (or
    /// ``commit()`` or ``commitSync()``). Requires ``ConsumerConfiguration/enableAutoOffsetStore`` `false`.
    ///
    /// Storing after processing, with auto commit on, gives at-least-once delivery without
    /// a commit per record.
    public func storeOffset(for record: ConsumerRecord<Key, Value>) throws(KafkaError) {
        try storeOffsets([TopicPartitionOffset(after: record)])
    }

    /// Stores offsets (each the offset of the next record to read) for the next commit.
    public func storeOffsets(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        try requireGroup("storeOffsets")
        try withClient { native throws(KafkaError) in try native.storeOffsets(offsets) }
    }

    /// The group's committed offsets for `partitions`, asked of the coordinator; `nil` for a
    /// partition without a committed offset.
    public func committed(_ partitions: [TopicPartition], timeout: Duration = .seconds(10)) throws(KafkaError) -> [TopicPartition: Int64] {
        try requireGroup("committed")
        let offsets = try withClient { native throws(KafkaError) in try native.committed(partitions, timeout: timeout) }
        var result: [TopicPartition: Int64] = [:]
        for entry in offsets where entry.offset >= 0 { result[entry.topicPartition] = entry.offset }
        return result
    }

    /// The group's committed offsets for `partitions` with the metadata stored with each
    /// commit (Java's `committed`, answering `OffsetAndMetadata`); a partition without a
    /// committed offset is absent.
    ///
    /// The metadata is what a commit of ``TopicPartitionOffset`` values carried in
    /// ``TopicPartitionOffset/metadata``: `nil` when it carried none.
    public func committedWithMetadata(
        _ partitions: [TopicPartition],
        timeout: Duration = .seconds(10)
    ) throws(KafkaError) -> [TopicPartition: OffsetAndMetadata] {
        try requireGroup("committed")
        let offsets = try withClient { native throws(KafkaError) in try native.committed(partitions, timeout: timeout) }
        var result: [TopicPartition: OffsetAndMetadata] = [:]
        for entry in offsets where entry.offset >= 0 {
            result[entry.topicPartition] = OffsetAndMetadata(offset: entry.offset, metadata: entry.metadata)
        }
        return result
    }
}
