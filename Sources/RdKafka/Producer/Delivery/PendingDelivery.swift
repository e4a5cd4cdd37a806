/// A record that librdkafka has accepted and whose delivery can be awaited later.
///
/// Returned by ``KafkaProducer/enqueue(_:)``, it lets one task keep thousands of records in
/// flight and collect their results afterwards:
///
/// ```swift
/// var pending: [PendingDelivery] = []
/// for order in orders {
///     pending.append(try await producer.enqueue(ProducerRecord(topic: "orders", key: order.id, value: order)))
/// }
/// for delivery in pending {
///     let metadata = try await delivery.metadata
/// }
/// ```
///
/// The result is kept, so `metadata` may be read any number of times, from any task and
/// from any copy. A `PendingDelivery` is a small value, but it shares its storage with the
/// records enqueued around it: holding one keeps that storage alive until it is dropped.
/// Collect results as they come rather than keeping the values for hours.
public struct PendingDelivery: Sendable {
    @usableFromInline
    let chunk: PendingDeliveryChunk
    @usableFromInline
    let index: Int
    /// The record's topic, kept by the sender: the thread completing the delivery touches no
    /// reference-counted object the sender also touches (a `String` shared by both would
    /// bounce its reference count between their cores on every record).
    @usableFromInline
    let topic: String

    init(chunk: PendingDeliveryChunk, index: Int, topic: String) {
        self.chunk = chunk
        self.index = index
        self.topic = topic
    }

    /// Where the record was stored, once the broker has acknowledged it.
    @inlinable
    public var metadata: RecordMetadata {
        get async throws(KafkaError) {
            // Inlinable with a synchronous fast path: a pipelining loop mostly finds the
            // outcome already known, and then pays for no async call at all.
            if let done = chunk.result(at: index, topic: topic) { return try done.get() }
            return try await chunk.waitForResult(at: index, topic: topic).get()
        }
    }

    /// The outcome, as a `Result`, once known.
    @inlinable
    public var result: Result<RecordMetadata, KafkaError> {
        get async {
            if let done = chunk.result(at: index, topic: topic) { return done }
            return await chunk.waitForResult(at: index, topic: topic)
        }
    }

    /// Whether the outcome is known yet.
    public var isComplete: Bool { chunk.isDone(index) }
}
