// The public send methods are @inlinable so that callers' builds specialize them for their
// own Key and Value: unspecialized generic code pays a runtime metadata lookup for every
// generic type it touches (ProducerRecord<Key, Value>, Optional<Key>) and calls value
// witnesses to copy and destroy records, on every send. Their bodies are only the retry
// loops and serialization; the rest is in the non-generic @usableFromInline helpers below.
extension KafkaProducer {
    /// Sends `record` and returns where the broker stored it.
    ///
    /// When librdkafka's queue is full this suspends, without blocking a thread, until
    /// delivery reports make room, for up to ``ProducerConfiguration/maxBlock``; then it
    /// throws `queueFull`.
    ///
    /// - Throws: ``KafkaError`` if the record is invalid, cannot be serialized (nothing is
    ///   sent), was not accepted in time, or was accepted but failed (its `code` says why).
    @inlinable
    @discardableResult
    public func send(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> RecordMetadata {
        // Without tracing and interceptors the record is passed on as is: not even copied.
        if let tracing { return try await sendTraced(record, tracing) }
        if let interceptors { return try await sendAwaiting(interceptors.onSend(record)) }
        return try await sendAwaiting(record)
    }

    @inlinable
    func sendAwaiting(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> RecordMetadata {
        var deadline = QueueFullDeadline()
        while true {
            let generation = queueSpaceGeneration
            var wasRefused = false
            let result = await withUnsafeContinuation { continuation in
                let opaque = newDeliveryContext(.continuation(continuation))
                if let refusal = attempt(record, opaque: opaque) {
                    DeliveryContext.release(opaque)
                    wasRefused = true
                    continuation.resume(returning: .failure(refusal))
                }
            }
            if case .failure(let error) = result, error.code == .queueFull,
               await waitForRoom(after: generation, deadline: &deadline) {
                continue
            }
            // A delivery failure reached the interceptors with its report; a refusal has not.
            if wasRefused, case .failure(let error) = result { throw refused(explainQueueFull(error)) }
            return try result.get()
        }
    }

    /// Enqueues `record` and returns a handle whose delivery can be awaited later, so one
    /// task can keep many records in flight (see ``PendingDelivery``).
    ///
    /// Suspends while the queue is full, as ``send(_:)`` does.
    @inlinable
    @inline(__always)
    public func enqueue(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> PendingDelivery {
        if let tracing { return try await enqueueTraced(record, tracing) }
        if let interceptors { return try await enqueuePending(interceptors.onSend(record)) }
        return try await enqueuePending(record)
    }

    @inlinable
    @inline(__always)
    func enqueuePending(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> PendingDelivery {
        let (pending, opaque) = newPendingDelivery(topic: record.topic)
        let generation = queueSpaceGeneration
        guard let refusal = attempt(record, opaque: opaque) else { return pending }
        return try await enqueueRefused(record, pending, opaque, refusal: refusal, generation: generation)
    }

    /// ``enqueuePending(_:)`` after a refusal: waits for room and tries again while the
    /// queue is full. Apart, so that the usual path has no loop and no suspension point.
    @inlinable
    @inline(never)
    func enqueueRefused(
        _ record: ProducerRecord<Key, Value>,
        _ pending: PendingDelivery,
        _ opaque: UnsafeMutableRawPointer,
        refusal first: KafkaError,
        generation firstGeneration: UInt64
    ) async throws(KafkaError) -> PendingDelivery {
        var deadline = QueueFullDeadline()
        var refusal = first
        var generation = firstGeneration
        // The slot is kept for another attempt, and released only when giving up.
        while refusal.code == .queueFull, await waitForRoom(after: generation, deadline: &deadline) {
            generation = queueSpaceGeneration
            guard let again = attempt(record, opaque: opaque) else { return pending }
            refusal = again
        }
        DeliveryContext.release(opaque)
        throw refused(explainQueueFull(refusal))
    }

    /// Sends `record` and calls `onDelivery` with its outcome, on the producer's report
    /// thread (never inside a send): keep the callback short and do not block in it.
    ///
    /// If the queue is full this blocks the calling thread for up to
    /// ``ProducerConfiguration/maxBlock`` (or throws at once with `.fail`). When it throws,
    /// the record was not accepted and `onDelivery` is not called.
    @inlinable
    public func send(
        _ record: ProducerRecord<Key, Value>,
        onDelivery: @escaping @Sendable (Result<RecordMetadata, KafkaError>) -> Void
    ) throws(KafkaError) {
        if let tracing { return try sendReportingTraced(record, tracing, onDelivery: onDelivery) }
        if let interceptors { return try sendReporting(interceptors.onSend(record), onDelivery: onDelivery) }
        try sendReporting(record, onDelivery: onDelivery)
    }

    @inlinable
    func sendReporting(
        _ record: ProducerRecord<Key, Value>,
        onDelivery: @escaping @Sendable (Result<RecordMetadata, KafkaError>) -> Void
    ) throws(KafkaError) {
        var deadline = QueueFullDeadline()
        while true {
            let generation = queueSpaceGeneration
            let opaque = newDeliveryContext(.callback(onDelivery))
            guard let refusal = attempt(record, opaque: opaque) else { return }
            DeliveryContext.release(opaque)
            if refusal.code == .queueFull, waitForRoomBlocking(after: generation, deadline: &deadline) { continue }
            throw refused(explainQueueFull(refusal))
        }
    }

    /// Sends `record` without waiting for, or being told, its outcome. The cheapest way to
    /// send: no allocation per record beyond librdkafka's own copy.
    ///
    /// A delivery failure still goes to ``ProducerConfiguration/onDeliveryFailure``, or to
    /// the log when no handler is set. Blocks on a full queue as ``send(_:onDelivery:)``.
    @inlinable
    public func sendAndForget(_ record: ProducerRecord<Key, Value>) throws(KafkaError) {
        if let tracing { return try sendUnreportedTraced(record, tracing) }
        if let interceptors { return try sendUnreported(interceptors.onSend(record)) }
        try sendUnreported(record)
    }

    @inlinable
    func sendUnreported(_ record: ProducerRecord<Key, Value>) throws(KafkaError) {
        var deadline = QueueFullDeadline()
        while true {
            let generation = queueSpaceGeneration
            guard let refusal = attempt(record, opaque: nil) else { return }
            if refusal.code == .queueFull, waitForRoomBlocking(after: generation, deadline: &deadline) { continue }
            throw refused(explainQueueFull(refusal))
        }
    }

    /// A context for a record sent with a callback or awaited, from the producer's slab (see
    /// ``Slab``), as the record's opaque.
    @usableFromInline
    func newDeliveryContext(_ target: DeliveryContext.Target) -> UnsafeMutableRawPointer {
        deliveryContexts.take(target)
    }

    /// A `PendingDelivery` from the producer's slab (see ``Slab``), and the
    /// opaque that stands for it.
    @usableFromInline
    func newPendingDelivery(topic: String) -> (PendingDelivery, UnsafeMutableRawPointer) {
        pendingDeliveries.take(topic: topic)
    }

    /// Tells the interceptors that a record was refused before it was sent, and returns why.
    @usableFromInline
    func refused(_ error: KafkaError) -> KafkaError {
        interceptors?.onAcknowledgement(.failure(error))
        return error
    }
}
