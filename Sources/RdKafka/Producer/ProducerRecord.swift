/// A record to send: its topic and value, and optionally a key, partition, timestamp and headers.
///
/// `Key` and `Value` are your types; the producer's serializers turn them into bytes.
public struct ProducerRecord<Key, Value> {
    /// The topic to write to.
    public var topic: String
    /// The partition to write to; `nil` lets the configured ``Partitioner`` decide.
    public var partition: Int32?
    /// The key, which decides the partition and is kept for compaction; `nil` sends no key.
    public var key: Key?
    /// The value.
    public var value: Value
    /// The create time; `nil` lets the producer stamp the record when it is sent.
    public var timestamp: KafkaTimestamp?
    /// The headers, in order; names may repeat.
    public var headers: [RecordHeader]

    public init(
        topic: String,
        partition: Int32? = nil,
        key: Key? = nil,
        value: Value,
        timestamp: KafkaTimestamp? = nil,
        headers: [RecordHeader] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }
}

extension ProducerRecord: Sendable where Key: Sendable, Value: Sendable {}
extension ProducerRecord: Equatable where Key: Equatable, Value: Equatable {}
