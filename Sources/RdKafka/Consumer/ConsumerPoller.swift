/// The generic half of reading: turns the messages of a ``NativeMessageBatch`` into
/// ``ConsumerRecord``s, and keeps what a call could not return yet.
///
/// Its conversion methods are `@inlinable` so that they are specialized together with the
/// caller's `KafkaConsumer<Key, Value>` read methods (see ``ConsumerReader``): per record
/// they only deserialize the key and value and build the record, with no `Result` and no
/// intermediate buffer.
///
/// When a batch holds an error (a consumer error or a record that cannot be deserialized),
/// the records before it are returned and the error and everything after it wait in
/// `pending`, in order, for the next calls — librdkafka has already handed them over, so
/// none may be dropped, and with auto offset store it has stored their offsets, which
/// ``HeldBackOffsets`` moves back until they are returned. Only the task holding the poller
/// token touches it.
@usableFromInline
final class ConsumerPoller<Key, Value>: @unchecked Sendable {
    // @unchecked: reached only by the holder of the poller token.
    @usableFromInline typealias Entry = Result<ConsumerRecord<Key, Value>, KafkaError>

    @usableFromInline let keyDeserializer: any Deserializer<Key>
    @usableFromInline let valueDeserializer: any Deserializer<Value>
    /// Shared with the consumer, which tells them about commits.
    let interceptors: ConsumerInterceptorChain<ConsumerRecord<Key, Value>>?
    @usableFromInline let hasInterceptors: Bool
    // Unchecked exclusivity: only the holder of the poller token touches these, and the
    // dynamic checks showed in the per-record profile.
    @exclusivity(unchecked) private var pending: [Entry] = []
    @exclusivity(unchecked) private var head = 0
    /// Whether `pending` holds anything: a stored flag, so the specialized per-record path
    /// reads one field instead of calling into unspecialized code.
    @usableFromInline @exclusivity(unchecked) private(set) var hasPending = false
    /// `nil` when the application stores offsets itself.
    private let heldBackOffsets: HeldBackOffsets?
    /// Coordinates of the pending entries taken by the current call, for `heldBackOffsets`.
    @exclusivity(unchecked) private var released: [TopicPartitionOffset] = []

    init(
        keyDeserializer: any Deserializer<Key>,
        valueDeserializer: any Deserializer<Value>,
        interceptors: ConsumerInterceptorChain<ConsumerRecord<Key, Value>>? = nil,
        heldBackOffsets: HeldBackOffsets? = nil
    ) {
        self.heldBackOffsets = heldBackOffsets
        self.interceptors = interceptors
        hasInterceptors = interceptors != nil
        self.keyDeserializer = keyDeserializer
        self.valueDeserializer = valueDeserializer
    }

    // MARK: Converting

    /// The record for `message`.
    @inlinable
    func record(from message: ConsumedMessage) throws(KafkaError) -> ConsumerRecord<Key, Value> {
        let key: Key?
        if let bytes = message.key {
            do {
                key = try keyDeserializer.deserialize(bytes, topic: message.topic, headers: message.headers)
            } catch {
                throw ConsumerReader.deserializationError(isKey: true, error, message)
            }
        } else {
            key = nil
        }
        let value: Value
        do {
            if let bytes = message.value {
                value = try valueDeserializer.deserialize(bytes, topic: message.topic, headers: message.headers)
            } else {
                value = try valueDeserializer.deserializeNull(topic: message.topic)
            }
        } catch {
            throw ConsumerReader.deserializationError(isKey: false, error, message)
        }
        return ConsumerRecord(
            topic: message.topic,
            partition: message.partition,
            offset: message.offset,
            timestamp: message.timestamp,
            timestampKind: message.timestampKind,
            key: key,
            value: value,
            headers: message.headers
        )
    }

    /// Appends the records of `batch`'s messages in `range` to `records`, up to the first
    /// error; that error and the messages after it go to `pending`. Interceptors see the
    /// appended records as one batch.
    @inlinable
    func take(_ batch: NativeMessageBatch, _ range: Range<Int>, into records: inout [ConsumerRecord<Key, Value>]) {
        let start = records.count
        records.reserveCapacity(start + range.count)
        for index in range {
            guard let message = batch.record(at: index) else {
                keep(batch, from: index, end: range.upperBound, firstError: batch.error(at: index))
                break
            }
            do {
                records.append(try record(from: message))
            } catch {
                keep(batch, from: index, end: range.upperBound, firstError: error)
                break
            }
        }
        if hasInterceptors && records.count > start { intercept(&records, from: start) }
    }

    /// The record of `batch`'s message at `index`, or `nil` if interceptors dropped it; an
    /// error throws.
    @inlinable
    func takeOne(_ batch: NativeMessageBatch, at index: Int) throws(KafkaError) -> ConsumerRecord<Key, Value>? {
        guard let message = batch.record(at: index) else { throw batch.error(at: index) }
        let record = try record(from: message)
        if hasInterceptors { return interceptOne(record) }
        return record
    }

    /// Slow path: the rest of a batch after an error, kept for the next calls.
    @usableFromInline
    func keep(_ batch: NativeMessageBatch, from index: Int, end: Int, firstError: KafkaError) {
        let start = pending.count
        batch.holdBack(index..<max(end, index + 1))
        pending.append(.failure(firstError))
        for later in (index + 1)..<max(end, index + 1) {
            if let message = batch.record(at: later) {
                do throws(KafkaError) {
                    pending.append(.success(try record(from: message)))
                } catch {
                    pending.append(.failure(error))
                }
            } else {
                pending.append(.failure(batch.error(at: later)))
            }
        }
        if interceptors != nil { interceptPending(from: start) }
        hasPending = head < pending.count
        heldBackOffsets?.heldBack(pending[start...].compactMap(Self.coordinates))
    }

    /// Where `entry`'s record is, if it is known.
    private static func coordinates(_ entry: Entry) -> TopicPartitionOffset? {
        switch entry {
        case .success(let record):
            return TopicPartitionOffset(topic: record.topic, partition: record.partition, offset: record.offset)
        case .failure(let error):
            guard let topic = error.topic, let partition = error.partition, let offset = error.offset else { return nil }
            return TopicPartitionOffset(topic: topic, partition: partition, offset: offset)
        }
    }

    // MARK: Pending

    /// Up to `limit` pending records before the next pending error; throws that error if it
    /// comes first.
    @usableFromInline
    func takePending(upTo limit: Int) throws(KafkaError) -> [ConsumerRecord<Key, Value>] {
        defer { releaseTaken() }
        var records: [ConsumerRecord<Key, Value>] = []
        while records.count < limit, head < pending.count {
            switch pending[head] {
            case .success(let record):
                records.append(record)
            case .failure(let error):
                if !records.isEmpty { return records }
                advance()
                throw error
            }
            advance()
        }
        return records
    }

    /// The next pending record, or its error.
    @usableFromInline
    func takePendingOne() throws(KafkaError) -> ConsumerRecord<Key, Value>? {
        defer { releaseTaken() }
        guard head < pending.count else { return nil }
        let entry = pending[head]
        advance()
        return try entry.get()
    }

    private func advance() {
        if heldBackOffsets != nil, let taken = Self.coordinates(pending[head]) { released.append(taken) }
        head += 1
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
            hasPending = false
        }
    }

    private func releaseTaken() {
        guard let heldBackOffsets, !released.isEmpty else { return }
        heldBackOffsets.released(released)
        released.removeAll(keepingCapacity: true)
    }

    // MARK: Interceptors

    @usableFromInline
    func intercept(_ records: inout [ConsumerRecord<Key, Value>], from start: Int) {
        guard let interceptors else { return }
        if start == 0 {
            records = interceptors.onConsume(records)
        } else {
            let intercepted = interceptors.onConsume(Array(records[start...]))
            records.replaceSubrange(start..., with: intercepted)
        }
    }

    /// Intercepts a single record; when interceptors turn it into several, the others wait
    /// in `pending`.
    @usableFromInline
    func interceptOne(_ record: ConsumerRecord<Key, Value>) -> ConsumerRecord<Key, Value>? {
        guard let interceptors else { return record }
        let records = interceptors.onConsume([record])
        guard let first = records.first else { return nil }
        pending.insert(contentsOf: records.dropFirst().map(Entry.success), at: head)
        hasPending = head < pending.count
        return first
    }

    /// Passes the pending entries from `start` through the interceptors, each run of records
    /// between errors as one batch, so an error keeps its place in the order.
    private func interceptPending(from start: Int) {
        guard let interceptors else { return }
        var rebuilt: [Entry] = []
        var run: [ConsumerRecord<Key, Value>] = []
        for entry in pending[start...] {
            switch entry {
            case .success(let record):
                run.append(record)
            case .failure:
                if !run.isEmpty { rebuilt += interceptors.onConsume(run).map(Entry.success) }
                run = []
                rebuilt.append(entry)
            }
        }
        if !run.isEmpty { rebuilt += interceptors.onConsume(run).map(Entry.success) }
        pending.replaceSubrange(start..., with: rebuilt)
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        }
    }
}
