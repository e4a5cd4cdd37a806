import CRdKafka
import Foundation

/// librdkafka's transactional producer calls.
///
/// Each of these calls blocks its thread until the transaction coordinator has answered or
/// the timeout has passed (begin too: it waits for librdkafka's main thread). They are
/// therefore called only from ``ThreadRunner``'s own threads, never from a task on
/// the cooperative pool. Each returns `nil` on success, or the error with librdkafka's
/// retriable / abortable / fatal classification.
enum NativeTransactions {
    static func initialize(_ client: OpaquePointer, timeout: Duration) -> KafkaError? {
        rd_kafka_init_transactions(client, Duration.timeoutMilliseconds(timeout)).map { NativeErrors.consume($0) }
    }

    static func begin(_ client: OpaquePointer) -> KafkaError? {
        rd_kafka_begin_transaction(client).map { NativeErrors.consume($0) }
    }

    static func commit(_ client: OpaquePointer, timeout: Duration) -> KafkaError? {
        rd_kafka_commit_transaction(client, Duration.timeoutMilliseconds(timeout)).map { NativeErrors.consume($0) }
    }

    static func abort(_ client: OpaquePointer, timeout: Duration) -> KafkaError? {
        rd_kafka_abort_transaction(client, Duration.timeoutMilliseconds(timeout)).map { NativeErrors.consume($0) }
    }

    /// Adds the consumer positions `offsets` (the next offset to read, per partition) to the
    /// current transaction, to be committed for the group in `groupMetadata` with it.
    static func sendOffsets(
        _ client: OpaquePointer,
        _ offsets: [TopicPartitionOffset],
        groupMetadata: NativeConsumerGroupMetadata,
        timeout: Duration
    ) -> KafkaError? {
        let list = rd_kafka_topic_partition_list_new(Int32(clamping: offsets.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for offset in offsets {
            let entry = rd_kafka_topic_partition_list_add(list, offset.topic, offset.partition)
            entry?.pointee.offset = offset.offset
            if let metadata = offset.metadata, let entry, let copy = strdup(metadata) {
                // librdkafka frees the metadata with the list, so it gets its own copy.
                entry.pointee.metadata = UnsafeMutableRawPointer(copy)
                entry.pointee.metadata_size = strlen(copy)
            }
        }
        let error = rd_kafka_send_offsets_to_transaction(client, list, groupMetadata.pointer, Duration.timeoutMilliseconds(timeout))
        return error.map { NativeErrors.consume($0, context: "sendOffsetsToTransaction") }
    }
}

extension NativeConsumerGroupMetadata {
    /// Metadata naming only a group, without generation or member id (so without zombie
    /// fencing), for consumers that assign partitions themselves.
    convenience init(groupID: String) {
        self.init(rd_kafka_consumer_group_metadata_new(groupID))
    }
}
