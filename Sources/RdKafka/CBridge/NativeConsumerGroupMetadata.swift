import CRdKafka

/// The one owner of an `rd_kafka_consumer_group_metadata_t`: a consumer's group id,
/// generation, member id and instance id, which a transactional producer passes to the
/// coordinator so that offsets are committed only for the current group generation.
///
/// librdkafka only reads the object after creation, so sharing it between threads is safe.
final class NativeConsumerGroupMetadata: @unchecked Sendable {
    // @unchecked: `pointer` is immutable and librdkafka never mutates what it points to.
    let pointer: OpaquePointer

    /// Metadata naming only a group, without generation or member (no zombie fencing).
    init(groupID: String) {
        pointer = rd_kafka_consumer_group_metadata_new(groupID)
    }

    /// Takes ownership of `pointer`, as returned by `rd_kafka_consumer_group_metadata`.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        rd_kafka_consumer_group_metadata_destroy(pointer)
    }
}
