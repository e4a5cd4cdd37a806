// Interim: `KafkaConsumer` (branch `consumer`) defines this type in TopicPartition.swift;
// this file goes when that lands.

/// A position in one partition of a topic: where a consumer resumes, or what it commits.
///
/// By Kafka's convention a committed offset is the offset of the *next* record to read,
/// so after processing the record at offset `n` commit `n + 1`.
public struct TopicPartitionOffset: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Text stored with a committed offset, for the application's own use.
    public var metadata: String?

    public init(topic: String, partition: Int32, offset: Int64, metadata: String? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.metadata = metadata
    }
}
