/// Who a consumer is in its group (group id, generation, member id), as a transactional
/// producer needs it to commit that consumer's offsets inside a transaction.
///
/// Take it from the consumer each time you send offsets, so that the coordinator can
/// refuse offsets from a consumer that has since lost its partitions in a rebalance
/// (a "zombie"). ``init(groupID:)`` names only the group and gives no such protection; it
/// suits a consumer that assigns its partitions itself.
public final class ConsumerGroupMetadata: Sendable {
    let native: NativeConsumerGroupMetadata

    init(native: NativeConsumerGroupMetadata) {
        self.native = native
    }

    /// Metadata for `groupID` alone, without a generation or member id.
    public convenience init(groupID: String) {
        self.init(native: NativeConsumerGroupMetadata(groupID: groupID))
    }
}
