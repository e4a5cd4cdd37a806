/// Which offset of a partition ``KafkaAdminClient/listOffsets(_:timeout:)`` looks up (Java's
/// `OffsetSpec`).
public enum OffsetSpec: Sendable, Hashable {
    /// The partition's first offset still stored (its low watermark).
    case earliest
    /// The offset the next record will get (its high watermark).
    case latest
    /// The first record whose timestamp is at or after this time.
    case timestamp(KafkaTimestamp)
}
