import CRdKafka

/// The messages of one read from the consumer queue, held until the reading call has turned
/// them into records.
///
/// The slot array is allocated once per consumer and grows to the largest batch asked for,
/// so reading allocates nothing. Partition-end events are reported and dropped while
/// reading, so the slots hold only records and errors. Owned by the single reader (see
/// `ConsumerLifecycle.beginPoll`); every read is released before the reading call returns,
/// so no librdkafka message outlives it (they must all be destroyed before the handle).
@usableFromInline
final class NativeMessageBatch {
    /// The most messages one read takes: a larger `maxRecords` returns at most this many.
    static var maximumCapacity: Int { 65_536 }

    // Unchecked exclusivity: only the holder of the poller token touches these, and the
    // dynamic checks showed in the per-record profile.
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    /// How many messages are held.
    @exclusivity(unchecked) private(set) var count = 0
    /// Whether the last read took anything from librdkafka, partition ends included.
    @exclusivity(unchecked) private(set) var tookAny = false
    private let topics = NativeTopicNames()
    private let onPartitionEOF: (@Sendable (TopicPartitionOffset) -> Void)?
    private let readsHeaders: Bool

    init(onPartitionEOF: (@Sendable (TopicPartitionOffset) -> Void)?, readsHeaders: Bool) {
        self.onPartitionEOF = onPartitionEOF
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

    /// Destroys the held messages.
    @usableFromInline
    func release() {
        for index in 0..<count {
            rd_kafka_message_destroy(slots[index])
        }
        count = 0
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
