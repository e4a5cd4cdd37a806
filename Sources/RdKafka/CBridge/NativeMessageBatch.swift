import CRdKafka

/// An owned array of message pointers that `rd_kafka_consume_batch_queue` fills, allocated
/// once per consumer so that reading a batch allocates nothing.
final class NativeMessageBatch {
    let capacity: Int
    fileprivate let slots: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>

    init(capacity: Int) {
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
    }

    deinit {
        slots.deallocate()
    }
}

extension NativeConsumer {
    /// Reads up to `limit` messages into `batch` (see ``consume(timeoutMilliseconds:into:capacity:topics:_:)``).
    func consume(
        timeoutMilliseconds: Int32,
        into batch: NativeMessageBatch,
        limit: Int,
        topics: NativeTopicNames,
        _ body: (NativeConsumedMessage) -> Void
    ) -> Int {
        consume(
            timeoutMilliseconds: timeoutMilliseconds,
            into: batch.slots,
            capacity: min(max(limit, 1), batch.capacity),
            topics: topics,
            body
        )
    }
}
