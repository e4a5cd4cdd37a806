import Tracing

// The traced variants of the send methods, taken only when the producer has a tracer (one
// nil test per send otherwise). They wrap the untraced paths: the span starts and its context
// is written before the interceptors see the record, and ends with the delivery report,
// whatever the send mode.
extension KafkaProducer {
    @usableFromInline
    func sendTraced(_ record: ProducerRecord<Key, Value>, _ tracing: ProducerTracing) async throws(KafkaError) -> RecordMetadata {
        var record = record
        let span = tracing.startSend(&record)
        let result: Result<RecordMetadata, KafkaError>
        do {
            if let interceptors {
                result = .success(try await sendAwaiting(interceptors.onSend(record)))
            } else {
                result = .success(try await sendAwaiting(record))
            }
        } catch {
            result = .failure(error)
        }
        tracing.finish(span, result)
        return try result.get()
    }

    @usableFromInline
    func sendReportingTraced(
        _ record: ProducerRecord<Key, Value>,
        _ tracing: ProducerTracing,
        onDelivery: @escaping @Sendable (Result<RecordMetadata, KafkaError>) -> Void
    ) throws(KafkaError) {
        var record = record
        let span = tracing.startSend(&record)
        let report: @Sendable (Result<RecordMetadata, KafkaError>) -> Void = { result in
            tracing.finish(span, result)
            onDelivery(result)
        }
        do {
            if let interceptors { record = interceptors.onSend(record) }
            try sendReporting(record, onDelivery: report)
        } catch {
            tracing.finish(span, .failure(error))
            throw error
        }
    }

    /// `sendAndForget` with a span: the record needs a context to end its span, so it goes
    /// the callback's way, and a failure still reaches ``ProducerConfiguration/onDeliveryFailure``.
    @usableFromInline
    func sendUnreportedTraced(_ record: ProducerRecord<Key, Value>, _ tracing: ProducerTracing) throws(KafkaError) {
        let events = self.events
        try sendReportingTraced(record, tracing) { result in
            if case .failure(let error) = result { events.reportUnreportedFailure(error) }
        }
    }

    @usableFromInline
    func enqueueTraced(_ record: ProducerRecord<Key, Value>, _ tracing: ProducerTracing) async throws(KafkaError) -> PendingDelivery {
        var record = record
        let span = tracing.startSend(&record)
        if let interceptors { record = interceptors.onSend(record) }
        // The PendingDelivery's slot is completed by the callback that ends the span, so the
        // record travels with a callback context rather than the slot itself.
        let (pending, pendingOpaque) = newPendingDelivery(topic: record.topic)
        let slot = PendingSlot(opaque: pendingOpaque)
        let report: @Sendable (Result<RecordMetadata, KafkaError>) -> Void = { result in
            tracing.finish(span, result)
            DeliveryContext.complete(slot.opaque, with: result)
            DeliveryContext.release(slot.opaque)
        }
        var deadline = QueueFullDeadline()
        while true {
            let generation = queueSpaceGeneration
            let opaque = newDeliveryContext(.callback(report))
            guard let refusal = attempt(record, opaque: opaque) else { return pending }
            DeliveryContext.release(opaque)
            if refusal.code == .queueFull, await waitForRoom(after: generation, deadline: &deadline) { continue }
            DeliveryContext.release(pendingOpaque)
            let error = refused(explainQueueFull(refusal))
            tracing.finish(span, .failure(error))
            throw error
        }
    }
}

/// A `PendingDelivery` slot handed to the one delivery report that completes it: only that
/// report's callback touches it, once, before releasing it.
struct PendingSlot: @unchecked Sendable {
    let opaque: UnsafeMutableRawPointer
}
