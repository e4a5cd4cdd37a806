/// Who is told the outcome of one record: a slot of a ``DeliveryContextSlab``, whose address
/// travels through librdkafka as the record's opaque.
///
/// A slot is taken when the record is handed to librdkafka and released exactly once: after
/// the record's delivery report, which librdkafka emits for every record it accepted
/// (success, failure, timeout or purge on close), either at once by a sender serving that
/// report or, when the report thread handled it, through ``release(_:)`` once the report is
/// handed back (see ``NativeDeliveredBatches``); or by ``release(_:)`` when librdkafka
/// refused the record.
///
/// A ``PendingDelivery`` travels as the opaque itself, without a slot, which saves a
/// context per pipelined record: its pointer is marked by the low bit, which is free since
/// objects and slots are at least 8-byte aligned.
@usableFromInline
struct DeliveryContext {
    @usableFromInline
    enum Target {
        case callback(@Sendable (Result<RecordMetadata, KafkaError>) -> Void)
        case continuation(UnsafeContinuation<Result<RecordMetadata, KafkaError>, Never>)
    }

    /// The chunk the slot belongs to, told when the slot is released.
    let chunk: Unmanaged<DeliveryContextSlab.Chunk>
    // Two optionals rather than the enum: calling a callback bound out of the enum copies it
    // (a retain and release of the caller's closure context per report; counted with
    // uprobes, 7 rather than 6 retains per callback send).
    private let callback: (@Sendable (Result<RecordMetadata, KafkaError>) -> Void)?
    private let continuation: UnsafeContinuation<Result<RecordMetadata, KafkaError>, Never>?

    init(_ target: Target, in chunk: Unmanaged<DeliveryContextSlab.Chunk>) {
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

    /// Passes ownership of `pending` to librdkafka as an opaque pointer.
    @usableFromInline
    static func retainedOpaque(for pending: PendingDelivery) -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(pending).toOpaque() + pendingMark
    }

    /// Delivers `result` to whoever `opaque` stands for, from a delivery report on the report
    /// thread; `opaque` (a retained ``PendingDelivery`` or a taken slot) stays valid until
    /// ``release(_:)``, which a sending thread calls later (see ``NativeDeliveredBatches``).
    static func complete(_ opaque: UnsafeMutableRawPointer, with report: NativeDeliveryReport) {
        // Borrowed, not retained: librdkafka's reference keeps the object alive until it is
        // released after this, and a retain and release would be two atomic operations more.
        if isPending(opaque) {
            Unmanaged<PendingDelivery>.fromOpaque(opaque - pendingMark)._withUnsafeGuaranteedRef { $0.complete(with: report) }
        } else {
            complete(slot(opaque), report.result)
        }
    }

    /// ``complete(_:with:)`` for an outcome already built from the report (for interceptors).
    static func complete(_ opaque: UnsafeMutableRawPointer, with result: Result<RecordMetadata, KafkaError>) {
        if isPending(opaque) {
            Unmanaged<PendingDelivery>.fromOpaque(opaque - pendingMark)._withUnsafeGuaranteedRef { $0.complete(result) }
        } else {
            complete(slot(opaque), result)
        }
    }

    /// Delivers the outcome of `report` if that resumes a waiting task (a ``PendingDelivery``
    /// or an awaiting `send`) rather than calling a callback, and releases `opaque`; returns
    /// false, leaving `opaque` untouched, for a callback.
    static func completeWithoutUserCode(_ opaque: UnsafeMutableRawPointer, with report: NativeDeliveryReport) -> Bool {
        if isPending(opaque) {
            Unmanaged<PendingDelivery>.fromOpaque(opaque - pendingMark).takeRetainedValue().complete(with: report)
            return true
        }
        guard let continuation = slot(opaque).pointee.continuation else { return false }
        release(opaque)
        continuation.resume(returning: report.result)
        return true
    }

    /// Releases `opaque`: without a result after librdkafka refused the record, or after
    /// ``complete(_:with:)``.
    @usableFromInline
    static func release(_ opaque: UnsafeMutableRawPointer) {
        if isPending(opaque) {
            Unmanaged<PendingDelivery>.fromOpaque(opaque - pendingMark).release()
        } else {
            DeliveryContextSlab.didRelease(1, of: slot(opaque).move().chunk)
        }
    }

    /// ``release(_:)`` for each of `opaques`, the contexts of a batch of delivery reports.
    static func release(_ opaques: UnsafeBufferPointer<UnsafeMutableRawPointer>) {
        // Consecutive records mostly share a chunk: it is told once per run of them.
        var run: (chunk: Unmanaged<DeliveryContextSlab.Chunk>, count: Int)?
        for opaque in opaques {
            if isPending(opaque) {
                Unmanaged<PendingDelivery>.fromOpaque(opaque - pendingMark).release()
                continue
            }
            let chunk = slot(opaque).move().chunk
            if let current = run, current.chunk.toOpaque() == chunk.toOpaque() {
                run = (chunk, current.count + 1)
            } else {
                if let current = run { DeliveryContextSlab.didRelease(current.count, of: current.chunk) }
                run = (chunk, 1)
            }
        }
        if let current = run { DeliveryContextSlab.didRelease(current.count, of: current.chunk) }
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

    private static let pendingMark = 1

    private static func slot(_ opaque: UnsafeMutableRawPointer) -> UnsafeMutablePointer<DeliveryContext> {
        opaque.assumingMemoryBound(to: DeliveryContext.self)
    }

    private static func isPending(_ opaque: UnsafeMutableRawPointer) -> Bool {
        UInt(bitPattern: opaque) & UInt(pendingMark) != 0
    }
}
