extension ConsumerGroupMetadata {
    /// Metadata for `groupID` alone, without a generation or member id.
    ///
    /// Prefer the consumer's own ``KafkaConsumer/groupMetadata()``: with it the coordinator
    /// refuses offsets from a member that has lost its partitions in a rebalance. This one
    /// suits a consumer that assigns its partitions itself and so has no generation.
    public init(groupID: String) {
        self.init(native: NativeConsumerGroupMetadata(groupID: groupID))
    }
}
