extension KafkaConsumer {
    /// The consumer's records as an `AsyncSequence`:
    /// `for try await record in consumer.records { ... }`.
    ///
    /// While nothing is available the iterating task suspends; no thread is blocked. It is
    /// woken as soon as librdkafka queues something for the consumer. It also reads at least
    /// every half second, which keeps serving rebalances and keeps the member within
    /// `max.poll.interval`. Rebalance listeners run on the iterating task.
    ///
    /// Records are taken from librdkafka one at a time (its fetch queue still fetches in
    /// batches), so the consumer's position covers exactly the records the sequence has
    /// returned: a commit — on revoke, on close, or by ``commit()`` — never covers a record
    /// your loop has not seen. A record counts as consumed once returned, before you process
    /// it: with auto offset store on, auto commit may commit it first, so use manual commits
    /// or ``storeOffset(for:)`` for at-least-once processing.
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

    /// Takes what is pending or immediately available, without waiting.
    @inlinable
    func readAvailable() throws(KafkaError) -> AvailableRead<ConsumerRecord<Key, Value>> {
        guard try reader.beginAvailable() else { return .closed }
        defer { reader.end() }
        if poller.hasPending {
            guard let record = try poller.takePendingOne() else { return .empty }
            return .record(record)
        }
        // One record at a time: librdkafka counts every record it hands over as consumed,
        // so records read ahead would be committed (on revoke, on close, by commit())
        // before the sequence returned them, and lost if the consumer closed first.
        // librdkafka's fetch queue still batches.
        guard let count = reader.readAvailable() else { return .empty }
        if count > 0, let record = try poller.takeOne(reader.batch) { return .record(record) }
        if let record = try poller.takePendingOne() { return .record(record) }
        // Only a partition end, or interceptors dropped the record: more may be queued.
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
