/// The reading side of a consumer: turns librdkafka's messages into ``ConsumerRecord``s and
/// keeps the ones not yet handed out, in order, errors included.
///
/// Only the task holding the poller token (`ConsumerLifecycle.beginPoll`) touches it, so
/// the per-record path takes no lock. Records are converted as soon as librdkafka returns
/// them, so no librdkafka message outlives the call that read it.
final class ConsumerPoller<Key, Value>: @unchecked Sendable {
    // @unchecked: reached only by the holder of the poller token.
    typealias Entry = Result<ConsumerRecord<Key, Value>, KafkaError>

    /// The most messages taken from librdkafka at once. Small, because librdkafka advances
    /// the consumer's position (and, with auto offset store, the offset to commit) as soon as
    /// it hands a message over.
    static var batchCapacity: Int { 64 }

    private let keyDeserializer: any Deserializer<Key>
    private let valueDeserializer: any Deserializer<Value>
    private let onPartitionEOF: (@Sendable (TopicPartitionOffset) -> Void)?
    private let topics = NativeTopicNames()
    private let messages: NativeMessageBatch
    private var buffer: [Entry] = []
    private var head = 0

    init(
        keyDeserializer: any Deserializer<Key>,
        valueDeserializer: any Deserializer<Value>,
        onPartitionEOF: (@Sendable (TopicPartitionOffset) -> Void)?
    ) {
        self.keyDeserializer = keyDeserializer
        self.valueDeserializer = valueDeserializer
        self.onPartitionEOF = onPartitionEOF
        messages = NativeMessageBatch(capacity: Self.batchCapacity)
        buffer.reserveCapacity(Self.batchCapacity)
    }

    var isEmpty: Bool { head == buffer.count }

    /// The next buffered record or error.
    func next() -> Entry? {
        guard head < buffer.count else { return nil }
        let entry = buffer[head]
        head += 1
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            head = 0
        }
        return entry
    }

    /// Whether the next buffered entry is an error (so a batch stops before it).
    var nextIsError: Bool {
        guard head < buffer.count, case .failure = buffer[head] else { return false }
        return true
    }

    /// Reads up to `limit` messages from librdkafka, waiting up to `timeoutMilliseconds` for
    /// the first. Also serves rebalance callbacks. Returns how many messages were read.
    @discardableResult
    func fill(from native: NativeConsumer, timeoutMilliseconds: Int32, limit: Int) -> Int {
        native.consume(
            timeoutMilliseconds: timeoutMilliseconds,
            into: messages,
            limit: limit,
            topics: topics
        ) { message in
            if let entry = convert(message) { buffer.append(entry) }
        }
    }

    private func convert(_ message: NativeConsumedMessage) -> Entry? {
        guard let topic = message.topic, !message.isError else {
            if message.isPartitionEOF {
                if let onPartitionEOF, let topic = message.topic {
                    onPartitionEOF(TopicPartitionOffset(topic: topic, partition: message.partition, offset: message.offset))
                }
                return nil
            }
            return .failure(message.error)
        }
        let key: Key?
        if let bytes = message.key {
            do {
                key = try keyDeserializer.deserialize(bytes, topic: topic)
            } catch {
                return .failure(deserializationError(.keyDeserialization, "key", error, topic, message))
            }
        } else {
            key = nil
        }
        let value: Value
        do {
            if let bytes = message.payload {
                value = try valueDeserializer.deserialize(bytes, topic: topic)
            } else {
                value = try valueDeserializer.deserializeNull(topic: topic)
            }
        } catch {
            return .failure(deserializationError(.valueDeserialization, "value", error, topic, message))
        }
        let (timestamp, kind) = message.timestamp
        return .success(ConsumerRecord(
            topic: topic,
            partition: message.partition,
            offset: message.offset,
            timestamp: timestamp,
            timestampKind: kind,
            key: key,
            value: value,
            headers: message.headers
        ))
    }

    private func deserializationError(
        _ code: KafkaError.Code,
        _ what: String,
        _ error: any Error,
        _ topic: String,
        _ message: NativeConsumedMessage
    ) -> KafkaError {
        KafkaError(
            code: code,
            message: "could not deserialize the \(what) of \(topic)-\(message.partition)@\(message.offset): \(error)",
            isRetriable: false,
            topic: topic,
            partition: message.partition,
            offset: message.offset,
            underlyingError: error
        )
    }
}
