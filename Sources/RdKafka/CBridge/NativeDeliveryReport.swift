import CRdKafka

/// A delivery report, read lazily from librdkafka's message so that the common case (a
/// success nobody waits for) costs no allocation.
struct NativeDeliveryReport {
    let message: UnsafePointer<rd_kafka_message_t>
    let context: NativeCallbackContext
    let client: OpaquePointer

    /// The per-record pointer given at send time.
    var opaque: UnsafeMutableRawPointer? { message.pointee._private }
    var succeeded: Bool { message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR }
    var topic: String { context.topicName(message.pointee.rkt) }
    var partition: Int32 { message.pointee.partition }
    var offset: Int64 { message.pointee.offset }

    /// Where the record was stored, without its topic.
    var storedAt: (partition: Int32, offset: Int64, timestamp: KafkaTimestamp?, kind: KafkaTimestamp.Kind) {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &type)
        let timestamp = type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : KafkaTimestamp(millisecondsSinceEpoch: milliseconds)
        return (partition, offset, timestamp, NativeMessages.timestampKind(type))
    }

    var metadata: RecordMetadata {
        let stored = storedAt
        return RecordMetadata(topic: topic, partition: stored.partition, offset: stored.offset, timestamp: stored.timestamp, timestampKind: stored.kind)
    }

    /// The failure; marked fatal when the producer has failed fatally (e.g. an idempotent
    /// producer lost sequence synchronisation), since such a record can never be retried on it.
    var error: KafkaError {
        var error = NativeErrors.error(message.pointee.err, context: "delivery failed", topic: topic, partition: partition)
        if rd_kafka_fatal_error(client, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR {
            error.isFatal = true
            error.isRetriable = false
        }
        return error
    }

    var result: Result<RecordMetadata, KafkaError> { succeeded ? .success(metadata) : .failure(error) }
}
