/// Sees, and may change, every record a producer sends, and sees every outcome: the hook
/// for cross-cutting concerns such as tracing headers, auditing or custom metrics (Kafka's
/// `ProducerInterceptor`).
///
/// Interceptors work on the typed record, before serialization, so they can read keys and
/// values as your types. One that does not care about the types (most add headers) is
/// written once as a generic type:
///
/// ```swift
/// struct TraceHeader<Key: Sendable, Value: Sendable>: ProducerInterceptor {
///     func onSend(_ record: ProducerRecord<Key, Value>) throws -> ProducerRecord<Key, Value> {
///         var record = record
///         record.headers.append(RecordHeader(key: "trace-id", value: Array(currentTraceID().utf8)))
///         return record
///     }
/// }
///
/// let producer = try KafkaProducer(
///     configuration: configuration,
///     keySerializer: .string,
///     valueSerializer: .json(Order.self),
///     interceptors: [TraceHeader()]
/// )
/// ```
///
/// Interceptors run in the order given, each receiving the previous one's record. An error
/// an interceptor throws is logged and skipped, never propagated: the record goes on as the
/// previous interceptor left it, so a broken interceptor cannot stop production.
///
/// Both methods run inline — ``onSend(_:)`` on the sending task, ``onAcknowledgement(_:)``
/// on the producer's report thread — so keep them short and never block in them. A
/// producer without interceptors pays nothing for the feature.
public protocol ProducerInterceptor<Key, Value>: Sendable {
    associatedtype Key
    associatedtype Value

    /// Called once per send, before the record is validated and serialized; returns the
    /// record to send instead.
    func onSend(_ record: ProducerRecord<Key, Value>) throws -> ProducerRecord<Key, Value>

    /// Called once per record with where it was stored, or why it was not: a delivery
    /// failure, or a refusal before it was sent (invalid, not serializable, queue full,
    /// producer closed).
    func onAcknowledgement(_ result: Result<RecordMetadata, KafkaError>) throws

    /// Called once when the producer closes, after the last ``onAcknowledgement(_:)``
    /// (Java's `close()`): release what the interceptor holds. Runs at the end of
    /// ``KafkaProducer/close(timeout:)``, or, for a producer released without closing, when
    /// it is deinitialized.
    func close() throws
}

extension ProducerInterceptor {
    public func onSend(_ record: ProducerRecord<Key, Value>) throws -> ProducerRecord<Key, Value> { record }
    public func onAcknowledgement(_ result: Result<RecordMetadata, KafkaError>) throws {}
    public func close() throws {}
}
