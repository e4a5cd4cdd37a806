/// One partition of one topic: the unit of assignment, pausing and seeking.
public struct TopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// A partition and an offset in it: what a commit stores, or where a seek goes.
///
/// A committed offset is the offset of the *next* record to read, so after processing the
/// record at offset 41 you commit 42 (``init(after:)`` does that for a record).
public struct TopicPartitionOffset: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Free-form text stored with a commit and returned by ``KafkaConsumer/committed(_:timeout:)``.
    public var metadata: String?

    public init(topic: String, partition: Int32, offset: Int64, metadata: String? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.metadata = metadata
    }

    public init(_ topicPartition: TopicPartition, offset: Int64, metadata: String? = nil) {
        self.init(topic: topicPartition.topic, partition: topicPartition.partition, offset: offset, metadata: metadata)
    }

    /// The position just after `record`: commit this to mark the record processed.
    public init<Key, Value>(after record: ConsumerRecord<Key, Value>) {
        self.init(topic: record.topic, partition: record.partition, offset: record.offset + 1)
    }

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    public var description: String { "\(topic)-\(partition)@\(offset)" }
}

/// The first and the next offset of a partition: `low` is the oldest record still stored,
/// `high` the offset the next produced record will get (the log end offset).
public struct Watermarks: Sendable, Hashable, CustomStringConvertible {
    public var low: Int64
    public var high: Int64

    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }

    /// How many records the partition holds.
    public var recordCount: Int64 { high - low }

    public var description: String { "[\(low), \(high))" }
}
