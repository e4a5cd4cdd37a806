/// Where the broker stored a record: the answer to a successful send.
public struct RecordMetadata: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    /// The record's offset in its partition; `-1` when `acks` is `.zero` (no answer).
    public var offset: Int64
    /// The record's timestamp, as the broker stored it.
    public var timestamp: KafkaTimestamp?
    /// Whether ``timestamp`` is the producer's create time or the broker's append time.
    public var timestampKind: KafkaTimestamp.Kind

    public init(topic: String, partition: Int32, offset: Int64, timestamp: KafkaTimestamp?, timestampKind: KafkaTimestamp.Kind) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.timestampKind = timestampKind
    }

    public var description: String { "\(topic)-\(partition)@\(offset)" }
}
