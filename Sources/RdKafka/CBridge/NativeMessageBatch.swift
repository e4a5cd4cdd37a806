import CRdKafka

/// The messages of one read from the consumer queue, held until the reading calls have
/// turned them into records: the messages before ``cursor`` have been returned, the rest
/// are read ahead (the async sequence reads a batch and returns it one record per call).
///
/// The slot array is allocated once per consumer and grows to the largest batch asked for,
/// so reading allocates nothing. Partition-end events are reported and dropped while
/// reading, so the slots hold only records and errors. Owned by the single reader (see
/// `ConsumerLifecycle.beginPoll`). Messages must all be destroyed before the handle: a
/// batch is released once its last message is returned, and by close and the consumer's
/// deinit before they destroy the handle.
///
/// With `storesOffsets` (the library owns offset storage, `enable.auto.offset.store` off in
/// librdkafka) ``release()`` first stores, per partition, the offset after the last record
/// returned: never one read ahead, so no commit covers a record not returned.
@usableFromInline
final class NativeMessageBatch {
    /// The most messages one read takes: a larger `maxRecords` returns at most this many.
    static var maximumCapacity: Int { 65_536 }

    // Unchecked exclusivity: only the holder of the poller token touches these, and the
    // dynamic checks showed in the per-record profile.
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    /// How many messages are held.
    @usableFromInline @exclusivity(unchecked) private(set) var count = 0
    /// The next message to return; those before it have been returned.
    @usableFromInline @exclusivity(unchecked) var cursor = 0
    /// Messages a batch poll kept as held-back entries after an error, whose offsets are
    /// stored as each is returned (see `HeldBackOffsets`), not by ``release()``.
    @exclusivity(unchecked) private var heldBack: [Range<Int>] = []
    /// Messages before this index have had their offsets stored.
    @exclusivity(unchecked) private var stored = 0
    private let storesOffsets: Bool
    /// Whether the last read took anything from librdkafka, partition ends included.
    @exclusivity(unchecked) private(set) var tookAny = false
    private let topics = NativeTopicNames()
    private let onPartitionEOF: (@Sendable (TopicPartitionOffset) -> Void)?
    private let readsHeaders: Bool

    init(onPartitionEOF: (@Sendable (TopicPartitionOffset) -> Void)?, readsHeaders: Bool, storesOffsets: Bool) {
        self.onPartitionEOF = onPartitionEOF
        self.storesOffsets = storesOffsets
        self.readsHeaders = readsHeaders
        capacity = 64
        slots = .allocate(capacity: capacity)
    }

    deinit {
        // Released by every reading call before it returns.
        assert(count == 0, "consumed messages outlived their read")
        slots.deallocate()
    }

    /// Reads up to `limit` more messages after those held, waiting up to
    /// `timeoutMilliseconds` for them (librdkafka waits for all `limit`, so callers wait for
    /// one and then take the rest with a zero timeout). Also serves rebalance callbacks.
    /// Returns how many records and errors were added.
    func read(from native: NativeConsumer, timeoutMilliseconds: Int32, limit: Int) -> Int {
        let limit = min(max(limit, 1), Self.maximumCapacity)
        reserve(count + limit)
        let start = count
        let read: Int
        if limit == 1 {
            slots[start] = native.consumeOne(timeoutMilliseconds: timeoutMilliseconds)
            read = slots[start] == nil ? 0 : 1
        } else {
            read = native.consumeBatch(timeoutMilliseconds: timeoutMilliseconds, into: slots + start, capacity: limit)
        }
        tookAny = read > 0
        guard read > 0 else { return 0 }
        for index in start..<(start + read) {
            guard let message = slots[index] else { continue }
            if message.pointee.err == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                if let onPartitionEOF, let handle = message.pointee.rkt {
                    let partition = TopicPartition(topic: topics.name(of: handle), partition: message.pointee.partition)
                    onPartitionEOF(TopicPartitionOffset(partition, offset: message.pointee.offset))
                }
                rd_kafka_message_destroy(message)
                continue
            }
            slots[count] = message
            count += 1
        }
        return count - start
    }

    /// The record at `index` (the key and value point into the message, valid until
    /// ``release()``), or `nil` if the message is an error (see ``error(at:)``).
    @usableFromInline
    func record(at index: Int) -> ConsumedMessage? {
        // Never nil: callers pass an index below `count`, and `read` filled those slots.
        let message = slots[index]!
        guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR, let handle = message.pointee.rkt else { return nil }
        return ConsumedMessage(message, topic: topics.name(of: handle), readsHeaders: readsHeaders)
    }

    /// The error carried by the message at `index`.
    @usableFromInline
    func error(at index: Int) -> KafkaError {
        // Never nil, as in record(at:).
        let message = slots[index]!
        let topic = message.pointee.rkt.map { topics.name(of: $0) }
        return NativeConsumedMessage.error(of: message, topic: topic)
    }

    /// Whether every held message has been returned (or none is held).
    @inlinable
    var isDrained: Bool { cursor == count }

    /// The index of the next message to return, advancing past it; `nil` when drained.
    @inlinable
    func next() -> Int? {
        guard cursor < count else { return nil }
        defer { cursor += 1 }
        return cursor
    }

    /// The messages in `range` were kept by a batch poll as held-back entries.
    @usableFromInline
    func holdBack(_ range: Range<Int>) {
        heldBack.append(range)
    }

    /// Stores the offsets of the records returned and not yet stored (when `storesOffsets`).
    func storeReturned() {
        let end = cursor
        guard storesOffsets, stored < end else {
            stored = max(stored, end)
            return
        }
        // One call per run of a partition's records: the run's last offset covers the run.
        var index = stored
        while index < end {
            let message = slots[index]!
            index += 1
            guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR, let handle = message.pointee.rkt,
                  !isHeldBack(index - 1) else { continue }
            let partition = message.pointee.partition
            var last = message.pointee.offset
            while index < end, let next = slots[index], next.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR,
                  next.pointee.rkt == handle, next.pointee.partition == partition, !isHeldBack(index) {
                last = next.pointee.offset
                index += 1
            }
            // Stores `last + 1`. Refused (__STATE) only for a partition no longer assigned,
            // whose offset is no longer this member's to commit.
            _ = rd_kafka_offset_store(handle, partition, last)
        }
        stored = end
    }

    private func isHeldBack(_ index: Int) -> Bool {
        !heldBack.isEmpty && heldBack.contains { $0.contains(index) }
    }

    /// Stores what was returned (see ``storeReturned()``) and destroys every held message,
    /// the ones read ahead included.
    @usableFromInline
    func release() {
        guard count > 0 else { return }
        storeReturned()
        for index in 0..<count {
            rd_kafka_message_destroy(slots[index])
        }
        count = 0
        cursor = 0
        stored = 0
        heldBack.removeAll()
    }

    /// Destroys the messages read ahead (not yet returned) of the partitions `matches`
    /// accepts; returns the offset of the first record dropped per partition.
    func dropReadAhead(where matches: (TopicPartition) -> Bool) -> [TopicPartition: Int64] {
        var first: [TopicPartition: Int64] = [:]
        var kept = cursor
        for index in cursor..<count {
            let message = slots[index]!
            if let handle = message.pointee.rkt {
                let partition = TopicPartition(topic: topics.name(of: handle), partition: message.pointee.partition)
                if matches(partition) {
                    if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR, first[partition] == nil {
                        first[partition] = message.pointee.offset
                    }
                    rd_kafka_message_destroy(message)
                    continue
                }
            }
            slots[kept] = message
            kept += 1
        }
        count = kept
        return first
    }

    /// The offset of the first record read ahead (not yet returned) of `partition`, if any.
    func firstReadAheadOffset(of partition: TopicPartition) -> Int64? {
        for index in cursor..<count {
            let message = slots[index]!
            guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR, message.pointee.partition == partition.partition,
                  let handle = message.pointee.rkt, topics.name(of: handle) == partition.topic else { continue }
            return message.pointee.offset
        }
        return nil
    }

    private func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        let grown = max(needed, capacity * 2)
        let newSlots = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: grown)
        newSlots.update(from: slots, count: count)
        slots.deallocate()
        slots = newSlots
        capacity = grown
    }
}
