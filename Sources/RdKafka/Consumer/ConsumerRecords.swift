extension KafkaConsumer {
    /// The consumer's records as an `AsyncSequence`:
    /// `for try await record in consumer.records { ... }`.
    ///
    /// While nothing is available the iterating task suspends; no thread is blocked. It is
    /// woken as soon as librdkafka queues something for the consumer. It also reads at least
    /// every half second, which keeps serving rebalances and keeps the member within
    /// `max.poll.interval`. Rebalance listeners run on the iterating task.
    ///
    /// The sequence reads ahead: it takes up to a few hundred records per librdkafka call
    /// and returns them one by one. A commit still never covers a record your loop has not
    /// seen — by ``commit()``, by auto commit, on revoke or on close: the consumer stores the
    /// offset of each record only once the sequence has returned it (it turns librdkafka's
    /// `enable.auto.offset.store` off and stores offsets itself, see
    /// ``ConsumerConfiguration/enableAutoOffsetStore``), and stores what was returned before
    /// every commit, revocation and close. Records read ahead and not returned are dropped
    /// when you ``seek(_:to:)``, ``pause(_:)`` or change the assignment of their partition,
    /// and read again from where the change says. ``position(_:)`` counts only records
    /// returned.
    ///
    /// A record counts as consumed once returned, before you process it: with auto commit,
    /// auto commit may commit it before your loop is done with it, so use manual commits, or
    /// set ``ConsumerConfiguration/enableAutoOffsetStore`` to `false` and call
    /// ``storeOffset(for:)`` after processing, for at-least-once processing.
    ///
    /// The sequence ends when the iterating task is cancelled or the consumer is closed.
    /// It throws a deserialization error (naming topic, partition and offset) or a consumer
    /// error; a `for try await` loop then ends, but the iterator stays usable: call `next()`
    /// again on it to skip the record and continue.
    public var records: ConsumerRecordSequence<Key, Value> { ConsumerRecordSequence(consumer: self) }
}

/// The records of a ``KafkaConsumer``, read without blocking a thread.
public struct ConsumerRecordSequence<Key, Value>: AsyncSequence, Sendable {
    public typealias Element = ConsumerRecord<Key, Value>
    public typealias Failure = KafkaError

    @usableFromInline let consumer: KafkaConsumer<Key, Value>

    init(consumer: KafkaConsumer<Key, Value>) {
        self.consumer = consumer
    }

    @inlinable
    public func makeAsyncIterator() -> Iterator { Iterator(consumer: consumer) }

    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = ConsumerRecord<Key, Value>
        public typealias Failure = KafkaError

        @usableFromInline let consumer: KafkaConsumer<Key, Value>

        @usableFromInline
        init(consumer: KafkaConsumer<Key, Value>) {
            self.consumer = consumer
        }

        @inlinable
        public mutating func next() async throws(KafkaError) -> ConsumerRecord<Key, Value>? {
            try await consumer.nextRecord()
        }

        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(KafkaError) -> ConsumerRecord<Key, Value>? {
            try await consumer.nextRecord()
        }
    }
}

extension KafkaConsumer {
    /// The next record for the async sequence: suspends while nothing is available.
    @inlinable
    func nextRecord() async throws(KafkaError) -> ConsumerRecord<Key, Value>? {
        while true {
            if Task.isCancelled { return nil }
            // Read before looking, so a record queued after the look wakes the wait below.
            let generation = reader.readinessGeneration
            switch try readAvailable() {
            case .record(let record):
                return record
            case .closed:
                return nil
            case .empty:
                try await reader.waitForRecords(after: generation)
            case .again:
                continue
            }
        }
    }

    /// Takes what is pending, read ahead, or immediately available, without waiting.
    @inlinable
    func readAvailable() throws(KafkaError) -> AvailableRead<ConsumerRecord<Key, Value>> {
        guard try reader.beginAvailable() else { return .closed }
        defer { reader.end() }
        if poller.hasPending {
            guard let record = try poller.takePendingOne() else { return .empty }
            return .record(record)
        }
        // A batch read ahead (see ConsumerReader): librdkafka stores no offset as it hands
        // the records over; the batch stores those returned once drained, or before a commit.
        var index = reader.nextBuffered()
        if index == nil {
            guard reader.readAhead() != nil else { return .empty }
            index = reader.nextBuffered()
        }
        // Nothing but partition ends: more may be queued.
        guard let index else { return .again }
        if let record = try poller.takeOne(reader.batch, at: index) { return .record(record) }
        if let record = try poller.takePendingOne() { return .record(record) }
        // Interceptors dropped the record.
        return .again
    }
}

/// What a non-blocking read found, for the async sequence.
@usableFromInline
enum AvailableRead<Record> {
    case record(Record)
    /// Nothing was queued.
    case empty
    /// Something was queued but gave no record; read again without waiting.
    case again
    case closed
}
