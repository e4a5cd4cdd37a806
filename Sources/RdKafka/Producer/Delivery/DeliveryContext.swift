/// Who is told the outcome of one record: a slot of a ``DeliveryContextChunk``, whose address
/// travels through librdkafka as the record's opaque (see ``DeliveryOpaque``).
///
/// A slot is taken when the record is handed to librdkafka and released exactly once: after
/// the record's delivery report, which librdkafka emits for every record it accepted
/// (success, failure, timeout or purge on close), either at once by a sender serving that
/// report or, when the report thread handled it, through ``release(_:)`` once the report is
/// handed back (see ``DeliveredBatches``); or by ``release(_:)`` when librdkafka
/// refused the record.
///
/// A ``PendingDelivery`` travels as its own slot of a ``PendingDeliveryChunk``.
@usableFromInline
struct DeliveryContext {
    @usableFromInline
    enum Target {
        case callback(@Sendable (Result<RecordMetadata, KafkaError>) -> Void)
        case continuation(UnsafeContinuation<Result<RecordMetadata, KafkaError>, Never>)
    }

    /// The chunk the slot belongs to, told when the slot is released.
    let chunk: Unmanaged<DeliveryContextChunk>
    // Two optionals rather than the enum: calling a callback bound out of the enum copies it,
    // a retain and release of the caller's closure context per report (see
    // docs/performance-history.md).
    private let callback: (@Sendable (Result<RecordMetadata, KafkaError>) -> Void)?
    private let continuation: UnsafeContinuation<Result<RecordMetadata, KafkaError>, Never>?

    init(_ target: Target, in chunk: Unmanaged<DeliveryContextChunk>) {
        self.chunk = chunk
        switch target {
        case .callback(let callback):
            self.callback = callback
            self.continuation = nil
        case .continuation(let continuation):
            self.callback = nil
            self.continuation = continuation
        }
    }

    private func complete(_ result: Result<RecordMetadata, KafkaError>) {
        if let continuation {
            continuation.resume(returning: result)
        } else {
            callback?(result)
        }
    }

    /// Delivers `result` to whoever `opaque` stands for, from a delivery report on the report
    /// thread; `opaque` (a taken slot) stays valid until ``release(_:)``, which a sending
    /// thread calls later (see ``DeliveredBatches``).
    static func complete(_ opaque: UnsafeMutableRawPointer, with report: NativeDeliveryReport) {
        switch DeliveryOpaque(opaque) {
        case .pendingDelivery(let chunk, let index): complete(chunk, index, report)
        case .context(let slot): complete(slot, report.result)
        }
    }

    /// ``complete(_:with:)`` for an outcome already built from the report (for interceptors).
    static func complete(_ opaque: UnsafeMutableRawPointer, with result: Result<RecordMetadata, KafkaError>) {
        switch DeliveryOpaque(opaque) {
        case .pendingDelivery(let chunk, let index):
            // Borrowed, not retained: the unreleased slot keeps its chunk alive.
            chunk._withUnsafeGuaranteedRef { $0.complete(index, with: .init(result)) }
        case .context(let slot):
            complete(slot, result)
        }
    }

    /// Delivers the outcome of `report` if that resumes a waiting task (a ``PendingDelivery``
    /// or an awaiting `send`) rather than calling a callback, and releases `opaque`; returns
    /// false, leaving `opaque` untouched, for a callback.
    static func completeWithoutUserCode(_ opaque: UnsafeMutableRawPointer, with report: NativeDeliveryReport) -> Bool {
        switch DeliveryOpaque(opaque) {
        case .pendingDelivery(let chunk, let index):
            complete(chunk, index, report)
            chunk.releaseSlots(1)
            return true
        case .context(let slot):
            guard let continuation = slot.pointee.continuation else { return false }
            slot.move().chunk.releaseSlots(1)
            continuation.resume(returning: report.result)
            return true
        }
    }

    /// Releases `opaque`: without a result after librdkafka refused the record, or after
    /// ``complete(_:with:)``.
    @usableFromInline
    static func release(_ opaque: UnsafeMutableRawPointer) {
        switch DeliveryOpaque(opaque) {
        case .pendingDelivery(let chunk, _): chunk.releaseSlots(1)
        case .context(let slot): slot.move().chunk.releaseSlots(1)
        }
    }

    /// ``release(_:)`` for each of `opaques`, the contexts of a batch of delivery reports.
    static func release(_ opaques: UnsafeBufferPointer<UnsafeMutableRawPointer>) {
        var contexts = SlabChunkReleases<DeliveryContextChunk>()
        var pending = SlabChunkReleases<PendingDeliveryChunk>()
        for opaque in opaques {
            switch DeliveryOpaque(opaque) {
            case .pendingDelivery(let chunk, _): pending.add(chunk)
            case .context(let slot): contexts.add(slot.move().chunk)
            }
        }
        contexts.finish()
        pending.finish()
    }

    /// Records `report`'s outcome in a `PendingDelivery` slot.
    private static func complete(_ chunk: Unmanaged<PendingDeliveryChunk>, _ index: Int, _ report: NativeDeliveryReport) {
        let outcome: PendingDeliveryChunk.Outcome
        if report.succeeded {
            let stored = report.storedAt
            outcome = .stored(partition: stored.partition, offset: stored.offset, timestamp: stored.timestamp, kind: stored.kind)
        } else {
            outcome = .failed(report.error)
        }
        // Borrowed, not retained: the unreleased slot keeps its chunk alive.
        chunk._withUnsafeGuaranteedRef { $0.complete(index, with: outcome) }
    }

    /// Calls the slot's callback, or resumes its task, with `result`.
    private static func complete(_ slot: UnsafeMutablePointer<DeliveryContext>, _ result: Result<RecordMetadata, KafkaError>) {
        // Moved out for the call and back after it, which copies no reference: called in
        // place, the callback is copied (an atomic retain and release of the caller's closure
        // context per record, on a line the sender releases later). Nothing else touches
        // the slot meanwhile: it is released only after this, on the sender.
        let context = slot.move()
        context.complete(result)
        slot.initialize(to: context)
    }
}
