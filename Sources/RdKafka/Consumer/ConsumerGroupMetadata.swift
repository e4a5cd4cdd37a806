/// A consumer's group, generation and member id, captured at one moment.
///
/// A transactional producer sends it with the consumed offsets
/// (`sendOffsetsToTransaction`), so that the group coordinator rejects the commit if this
/// member was fenced by a rebalance in the meantime.
public struct ConsumerGroupMetadata: Sendable {
    let native: NativeConsumerGroupMetadata
}
