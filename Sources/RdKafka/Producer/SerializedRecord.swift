/// A record after serialization: what librdkafka copies when it accepts the record.
///
/// It borrows the serializers' buffers, so it is valid only inside the closure that
/// receives it. Having a non-generic form lets everything after serialization (the gate,
/// the produce call, error mapping) live in non-generic code, while the generic part, which
/// callers specialize for their own `Key` and `Value`, stays small.
@usableFromInline
struct SerializedRecord {
    @usableFromInline let topic: String
    @usableFromInline let partition: Int32?
    @usableFromInline let key: UnsafeRawBufferPointer?
    @usableFromInline let value: UnsafeRawBufferPointer?
    @usableFromInline let timestamp: KafkaTimestamp?
    @usableFromInline let headers: [RecordHeader]

    @inlinable
    init(
        topic: String,
        partition: Int32?,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        timestamp: KafkaTimestamp?,
        headers: [RecordHeader]
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }
}
