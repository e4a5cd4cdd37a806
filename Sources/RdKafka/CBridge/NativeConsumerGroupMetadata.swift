import CRdKafka

/// An owned `rd_kafka_consumer_group_metadata_t`, destroyed once.
///
/// Interim: `KafkaConsumer` (branch `consumer`) defines this same type in
/// NativeConsumer.swift; this file goes when that lands.
final class NativeConsumerGroupMetadata: @unchecked Sendable {
    // @unchecked: immutable, and librdkafka only reads it.
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { rd_kafka_consumer_group_metadata_destroy(pointer) }
}
