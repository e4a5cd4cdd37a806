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
/// The result is kept, so `metadata` may be read any number of times, from any task.
public final class PendingDelivery: Sendable {
    private enum State {
        case waiting([UnsafeContinuation<Result<RecordMetadata, KafkaError>, Never>])
        case done(Result<RecordMetadata, KafkaError>)
    }

    private let state = Locked(State.waiting([]))

    @usableFromInline
    init() {}

    /// Where the record was stored, once the broker has acknowledged it.
    @inlinable
    public var metadata: RecordMetadata {
        get async throws(KafkaError) {
            // Inlinable with a synchronous fast path: a pipelining loop mostly finds the
            // outcome already known, and then pays for no async call at all.
            if let done = completedResult() { return try done.get() }
            return try await waitForResult().get()
        }
    }

    /// The outcome, as a `Result`, once known.
    @inlinable
    public var result: Result<RecordMetadata, KafkaError> {
        get async {
            if let done = completedResult() { return done }
            return await waitForResult()
        }
    }

    /// The outcome if it is known, without suspending.
    @usableFromInline
    func completedResult() -> Result<RecordMetadata, KafkaError>? {
        state.withLock { state -> Result<RecordMetadata, KafkaError>? in
            if case .done(let result) = state { return result }
            return nil
        }
    }

    /// Suspends until ``complete(_:)`` has run (or returns at once if it has).
    @usableFromInline
    func waitForResult() async -> Result<RecordMetadata, KafkaError> {
        await withUnsafeContinuation { continuation in
            let ready = state.withLock { state -> Result<RecordMetadata, KafkaError>? in
                switch state {
                case .done(let result):
                    return result
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Whether the outcome is known yet.
    public var isComplete: Bool {
        state.withLock { if case .done = $0 { return true } else { return false } }
    }

    func complete(_ result: Result<RecordMetadata, KafkaError>) {
        let waiters = state.withLock { state -> [UnsafeContinuation<Result<RecordMetadata, KafkaError>, Never>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }
}
