/// A committed offset and the text stored with it (Java's `OffsetAndMetadata`), as
/// ``KafkaConsumer/committedWithMetadata(_:timeout:)`` reads it back.
public struct OffsetAndMetadata: Sendable, Hashable, CustomStringConvertible {
    /// The offset of the next record to read.
    public var offset: Int64
    /// What the commit carried in ``TopicPartitionOffset/metadata``; `nil` when nothing.
    public var metadata: String?

    public init(offset: Int64, metadata: String? = nil) {
        self.offset = offset
        self.metadata = metadata
    }

    public var description: String {
        guard let metadata else { return "\(offset)" }
        return "\(offset) (\(metadata.debugDescription))"
    }
}
