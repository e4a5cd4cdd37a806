import CRdKafka

/// The C side of a consumer: the `rd_kafka_t`, its consumer queue, and every consumer call.
///
/// Callers admit themselves through the consumer's `ClientGate` first; ``destroy()`` runs
/// only once the gate is closed and drained, so no call can run on a destroyed handle.
final class NativeConsumer: @unchecked Sendable {
    // @unchecked: the pointers are immutable; the handle's lifetime is guarded by the gate.
    let client: NativeClient
    private let queue: OpaquePointer
    private let readiness: Unmanaged<WakeSignal>
    /// Set for a consumer without a group, whose partitions are started one by one.
    let standalone: NativeStandaloneAssignment?
    /// Where reading starts without a committed offset: librdkafka's special offset for
    /// `auto.offset.reset`, `nil` for `error`.
    let resetOffset: Int64?

    /// Creates the consumer. `readiness` is signalled (on a librdkafka thread) whenever
    /// something is put on the consumer queue, so an async reader can sleep until then.
    init(configuration: NativeConfiguration, context: NativeCallbackContext, readiness: WakeSignal) throws(KafkaError) {
        NativeEventBridge.installBackgroundCallback(on: configuration)
        NativeRebalanceBridge.install(on: configuration)
        // Read before the client takes the configuration over.
        let resetPolicy = configuration.get("auto.offset.reset")
        resetOffset = NativeOffset.reset(for: resetPolicy)
        client = try NativeClient(kind: .consumer, configuration: configuration, callbackContext: context)
        // Errors, statistics and logs go to the background thread; the consumer queue carries
        // only records, consumer errors and rebalances.
        NativeEventBridge.routeMainQueueToBackground(of: client.pointer)
        if let consumerQueue = rd_kafka_queue_get_consumer(client.pointer) {
            queue = consumerQueue
            standalone = nil
        } else {
            // No group.id: librdkafka has no consumer queue (and no assignment). The
            // partitions are started onto a queue of our own, read the same way.
            guard let own = rd_kafka_queue_new(client.pointer) else {
                // Unreachable: rd_kafka_queue_new only allocates, and librdkafka aborts when
                // an allocation fails. The client's deinit destroys the handle.
                throw KafkaError(code: .failure, message: "librdkafka could not create the consumer's queue")
            }
            queue = own
            standalone = NativeStandaloneAssignment(client: client.pointer, queue: own, resetPolicy: resetPolicy)
        }
        self.readiness = Unmanaged.passRetained(readiness)
        rd_kafka_queue_cb_event_enable(queue, { _, opaque in
            // Runs with the queue's lock held: only signal, never call librdkafka.
            guard let opaque else { return }
            Unmanaged<WakeSignal>.fromOpaque(opaque).takeUnretainedValue().signal()
        }, self.readiness.toOpaque())
    }

    var pointer: OpaquePointer { client.pointer }

    // MARK: Reading

    /// Serves the consumer queue (records, consumer errors and rebalance callbacks), taking
    /// up to `capacity` messages into `buffer`; waits up to `timeoutMilliseconds` for all
    /// of them. The caller destroys the messages.
    func consumeBatch(
        timeoutMilliseconds: Int32,
        into buffer: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>,
        capacity: Int
    ) -> Int {
        max(rd_kafka_consume_batch_queue(queue, timeoutMilliseconds, buffer, capacity), 0)
    }

    /// Serves the consumer queue as ``consumeBatch(timeoutMilliseconds:into:capacity:)`` does,
    /// taking at most one message: librdkafka's single-message path (the one
    /// `rd_kafka_consumer_poll` takes), which does less per message than its batch path.
    func consumeOne(timeoutMilliseconds: Int32) -> UnsafeMutablePointer<rd_kafka_message_t>? {
        rd_kafka_consume_queue(queue, timeoutMilliseconds)
    }

    /// Makes a blocked `consume` return early.
    func yield() {
        rd_kafka_queue_yield(queue)
    }

    // MARK: Subscription and assignment

    func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = NativeTopicPartitionList(topics: topics)
        try check(rd_kafka_subscribe(pointer, list.pointer), "subscribe failed")
    }

    func unsubscribe() throws(KafkaError) {
        try check(rd_kafka_unsubscribe(pointer), "unsubscribe failed")
    }

    func subscription() throws(KafkaError) -> [String] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        try check(rd_kafka_subscription(pointer, &list), "reading the subscription failed")
        guard let list else { return [] }
        return NativeTopicPartitionList(adopting: list).topics
    }

    func assign(_ offsets: [TopicPartitionOffset]?) throws(KafkaError) {
        if let standalone { return try standalone.assign(offsets ?? []) }
        let list = offsets.map { NativeTopicPartitionList($0) }
        try check(rd_kafka_assign(pointer, list?.pointer), "assign failed")
    }

    func incrementalAssign(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        if let standalone { return try standalone.incrementalAssign(offsets) }
        let list = NativeTopicPartitionList(offsets)
        if let error = rd_kafka_incremental_assign(pointer, list.pointer) {
            throw NativeErrors.consume(error, context: "incremental assign failed")
        }
    }

    func incrementalUnassign(_ partitions: [TopicPartition]) throws(KafkaError) {
        if let standalone { return try standalone.incrementalUnassign(partitions) }
        let list = NativeTopicPartitionList(partitions)
        if let error = rd_kafka_incremental_unassign(pointer, list.pointer) {
            throw NativeErrors.consume(error, context: "incremental unassign failed")
        }
    }

    func assignment() throws(KafkaError) -> [TopicPartition] {
        if let standalone { return standalone.assignment }
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        try check(rd_kafka_assignment(pointer, &list), "reading the assignment failed")
        guard let list else { return [] }
        return NativeTopicPartitionList(adopting: list).partitions
    }

    // MARK: Commits

    /// Commits `offsets`, or the stored offsets when `nil`, and waits for the answer.
    func commitSync(_ offsets: [TopicPartitionOffset]?) throws(KafkaError) {
        let list = offsets.map { NativeTopicPartitionList($0) }
        let code = rd_kafka_commit(pointer, list?.pointer, 0)
        // Nothing stored since the last commit: nothing to do.
        if code == RD_KAFKA_RESP_ERR__NO_OFFSET && offsets == nil { return }
        try check(code, "commit failed")
        if let error = list?.firstError(context: "commit failed") { throw error }
    }

    /// Starts a commit whose result arrives as an offset-commit event on the background
    /// thread, carrying `opaque`.
    func commitAsync(_ offsets: [TopicPartitionOffset]?, opaque: UnsafeMutableRawPointer) throws(KafkaError) {
        let list = offsets.map { NativeTopicPartitionList($0) }
        let background = rd_kafka_queue_get_background(pointer)
        defer { if let background { rd_kafka_queue_destroy(background) } }
        try check(rd_kafka_commit_queue(pointer, list?.pointer, background, nil, opaque), "commit failed")
    }

    func storeOffsets(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        let list = NativeTopicPartitionList(offsets)
        try check(rd_kafka_offsets_store(pointer, list.pointer), "storing the offset failed")
        if let error = list.firstError(context: "storing the offset failed") { throw error }
    }

    /// Sets the stored offset (the next to read) of each of `offsets`' partitions, even with
    /// `enable.auto.offset.store` on, where ``storeOffsets(_:)`` is refused: through the
    /// per-partition call, which librdkafka documents for auto store off but which stores
    /// regardless (2.0.2 through 2.15). Returns the first failure, if any.
    func overrideStoredOffsets(_ offsets: [TopicPartitionOffset]) -> KafkaError? {
        var failure: KafkaError?
        for offset in offsets {
            guard let topic = rd_kafka_topic_new(pointer, offset.topic, nil) else {
                failure = failure ?? KafkaError(code: .invalidArgument, message: "no handle for topic '\(offset.topic)'", topic: offset.topic)
                continue
            }
            defer { rd_kafka_topic_destroy(topic) }
            // The call stores its argument + 1: the offset after the last record processed.
            let code = rd_kafka_offset_store(topic, offset.partition, offset.offset - 1)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR, failure == nil {
                failure = NativeErrors.error(code, context: "storing the offset failed", topic: offset.topic, partition: offset.partition)
            }
        }
        return failure
    }

    func committed(_ partitions: [TopicPartition], timeout: Duration) throws(KafkaError) -> [TopicPartitionOffset] {
        let list = NativeTopicPartitionList(partitions)
        try check(rd_kafka_committed(pointer, list.pointer, Duration.timeoutMilliseconds(timeout)), "reading committed offsets failed")
        if let error = list.firstError(context: "reading committed offsets failed") { throw error }
        return list.offsets
    }

    // MARK: Positions

    func seek(_ offsets: [TopicPartitionOffset], timeout: Duration) throws(KafkaError) {
        let list = NativeTopicPartitionList(offsets)
        if let error = rd_kafka_seek_partitions(pointer, list.pointer, Duration.timeoutMilliseconds(timeout)) {
            throw NativeErrors.consume(error, context: "seek failed")
        }
        if let error = list.firstError(context: "seek failed") { throw error }
    }

    func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = NativeTopicPartitionList(partitions)
        try check(rd_kafka_pause_partitions(pointer, list.pointer), "pause failed")
        if let error = list.firstError(context: "pause failed") { throw error }
    }

    func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = NativeTopicPartitionList(partitions)
        try check(rd_kafka_resume_partitions(pointer, list.pointer), "resume failed")
        if let error = list.firstError(context: "resume failed") { throw error }
    }

    /// The offset of the next record to be returned, per partition (invalid offsets included).
    func positions(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartitionOffset] {
        let list = NativeTopicPartitionList(partitions)
        try check(rd_kafka_position(pointer, list.pointer), "reading positions failed")
        return list.offsets
    }

    func offsetsForTimes(_ timestamps: [TopicPartitionOffset], timeout: Duration) throws(KafkaError) -> [TopicPartitionOffset] {
        let list = NativeTopicPartitionList(timestamps)
        try check(rd_kafka_offsets_for_times(pointer, list.pointer, Duration.timeoutMilliseconds(timeout)), "offsets for times failed")
        if let error = list.firstError(context: "offsets for times failed") { throw error }
        return list.offsets
    }

    /// The watermarks librdkafka last saw in a fetch response, without a request.
    func cachedWatermarks(_ partition: TopicPartition) -> Watermarks? {
        var low: Int64 = NativeOffset.invalid
        var high: Int64 = NativeOffset.invalid
        let code = rd_kafka_get_watermark_offsets(pointer, partition.topic, partition.partition, &low, &high)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return Watermarks(low: max(low, 0), high: high)
    }

    /// Asks the partition's leader for its watermarks.
    func queryWatermarks(_ partition: TopicPartition, timeout: Duration) throws(KafkaError) -> Watermarks {
        var low: Int64 = 0
        var high: Int64 = 0
        let code = rd_kafka_query_watermark_offsets(
            pointer, partition.topic, partition.partition, &low, &high, Duration.timeoutMilliseconds(timeout)
        )
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw NativeErrors.error(code, context: "querying watermarks failed", topic: partition.topic, partition: partition.partition)
        }
        return Watermarks(low: low, high: high)
    }

    // MARK: Group

    func groupMetadata() -> NativeConsumerGroupMetadata? {
        rd_kafka_consumer_group_metadata(pointer).map(NativeConsumerGroupMetadata.init)
    }

    var memberID: String? {
        guard let id = rd_kafka_memberid(pointer) else { return nil }
        defer { rd_kafka_mem_free(pointer, id) }
        return String(cString: id)
    }

    /// Leaves the group: serves the final revocation (calling the rebalance callback on this
    /// thread), commits stored offsets when auto commit is on. Blocks.
    func close() -> KafkaError? {
        if let standalone {
            standalone.stopAll()
            return nil
        }
        let code = rd_kafka_consumer_close(pointer)
        return code == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : NativeErrors.error(code, context: "closing the consumer failed")
    }

    /// Releases the queue and the handle; `rd_kafka_destroy` leaves the group itself if
    /// ``close()`` was not called. Only after the gate has drained.
    func destroy() {
        guard !client.isDestroyed else { return }
        standalone?.stopAll()
        rd_kafka_queue_cb_event_enable(queue, nil, nil)
        rd_kafka_queue_destroy(queue)
        client.destroy(failOutstanding: false)
        readiness.release()
    }

    private func check(_ code: rd_kafka_resp_err_t, _ context: String) throws(KafkaError) {
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw NativeErrors.error(code, context: context) }
    }
}

/// An owned `rd_kafka_consumer_group_metadata_t`, destroyed once.
final class NativeConsumerGroupMetadata: @unchecked Sendable {
    // @unchecked: immutable, and librdkafka only reads it.
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { rd_kafka_consumer_group_metadata_destroy(pointer) }
}

extension ConsumerGroupMetadata {
    /// The `rd_kafka_consumer_group_metadata_t` for `rd_kafka_send_offsets_to_transaction`,
    /// valid during `body`.
    func withNativePointer<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(native) { try body(native.pointer) }
    }
}
