/// A record read from Kafka, with its key and value already deserialized.
///
/// `topic`, `partition` and `offset` identify it uniquely; commit
/// `TopicPartitionOffset(after: record)` to mark it processed.
public struct ConsumerRecord<Key, Value> {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The record's timestamp; `nil` when the broker stored none.
    public var timestamp: KafkaTimestamp?
    /// Whether ``timestamp`` was set by the producer or by the broker.
    public var timestampKind: KafkaTimestamp.Kind
    /// The key; `nil` when the record was sent without one.
    public var key: Key?
    /// The value. A null payload (a tombstone) is whatever the value deserializer's
    /// `deserializeNull(topic:)` returns; use `.optional(...)` to read it as `nil`.
    public var value: Value
    /// The headers, in the order they were sent.
    public var headers: [RecordHeader]

    @inlinable
    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        timestamp: KafkaTimestamp?,
        timestampKind: KafkaTimestamp.Kind,
        key: Key?,
        value: Value,
        headers: [RecordHeader]
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.timestampKind = timestampKind
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The record's partition.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
}

extension ConsumerRecord: Sendable where Key: Sendable, Value: Sendable {}
extension ConsumerRecord: Equatable where Key: Equatable, Value: Equatable {}
