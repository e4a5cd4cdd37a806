/// Sees, and may change, the records a consumer hands to the application, and sees its
/// commits (Kafka's `ConsumerInterceptor`).
///
/// `Record` is the consumer's ``ConsumerRecord``, so an interceptor reads keys and values as
/// your types; pass interceptors to ``KafkaConsumer/init(configuration:keyDeserializer:valueDeserializer:interceptors:)``. Interceptors run in the order given, each receiving the previous one's output; an
/// error one throws is logged and skipped, never propagated.
///
/// ``onConsume(_:)`` runs on the reading task as each batch is taken from librdkafka, so a
/// record it removes is never returned (its offset still counts as consumed);
/// ``onCommit(_:)`` runs where the commit completes. Keep both short. A consumer without
/// interceptors pays nothing for the feature.
public protocol ConsumerInterceptor<Record>: Sendable {
    associatedtype Record

    /// Called with each batch before the application receives it; returns the batch to
    /// deliver instead (for example with records filtered out or enriched).
    func onConsume(_ records: [Record]) throws -> [Record]

    /// Called after a commit succeeded, with the committed offset of each partition (the
    /// next offset the group will read). Commits whose offsets the client is not told
    /// (``KafkaConsumer/commitSync()`` without offsets and auto commits) are not reported.
    func onCommit(_ offsets: [TopicPartitionOffset]) throws

    /// Called once when the consumer closes, after it left the group (Java's `close()`):
    /// release what the interceptor holds. Runs when ``KafkaConsumer/close(timeout:)`` has
    /// finished closing (on the thread that closed the client), or, for a consumer released
    /// without closing, when it is deinitialized.
    func close() throws
}

extension ConsumerInterceptor {
    public func onConsume(_ records: [Record]) throws -> [Record] { records }
    public func onCommit(_ offsets: [TopicPartitionOffset]) throws {}
    public func close() throws {}
}
