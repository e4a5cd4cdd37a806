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

    let consumer: KafkaConsumer<Key, Value>

    public func makeAsyncIterator() -> Iterator { Iterator(consumer: consumer) }

    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = ConsumerRecord<Key, Value>
        public typealias Failure = KafkaError

        let consumer: KafkaConsumer<Key, Value>

        /// The longest a waiting iterator goes without asking librdkafka.
        static var idleReadInterval: Duration { .milliseconds(500) }

        public mutating func next() async throws(KafkaError) -> ConsumerRecord<Key, Value>? {
            try await consumer.nextRecord(idleReadInterval: Self.idleReadInterval)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(KafkaError) -> ConsumerRecord<Key, Value>? {
            try await consumer.nextRecord(idleReadInterval: Self.idleReadInterval)
        }
    }
}

extension KafkaConsumer {
    /// The next record for the async sequence: suspends while nothing is available.
    func nextRecord(idleReadInterval: Duration) async throws(KafkaError) -> ConsumerRecord<Key, Value>? {
        while true {
            if Task.isCancelled { return nil }
            if lifecycle.takeWakeup() { throw Self.wakeupError }
            let generation = readiness.generation
            switch try readAvailable() {
            case .entry(let entry):
                return try entry.get()
            case .closed:
                return nil
            case .empty:
                if lifecycle.takeWakeup() { throw Self.wakeupError }
                await readiness.wait(after: generation, limit: idleReadInterval)
            }
        }
    }
}
