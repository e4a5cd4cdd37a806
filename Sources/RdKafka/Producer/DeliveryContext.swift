/// Who is told the outcome of one record: travels through librdkafka as the record's opaque.
///
/// It is retained when the record is handed to librdkafka and released exactly once: after
/// the record's delivery report, which librdkafka emits for every record it accepted
/// (success, failure, timeout or purge on close), either at once by a sender serving that
/// report or, when the report thread handled it, through ``release(_:)`` once the report is
/// handed back (see ``NativeDeliveredBatches``); or by ``release(_:)`` when librdkafka
/// refused the record.
///
/// A ``PendingDelivery`` travels as the opaque itself, without a context around it, which
/// saves an allocation per pipelined record: its pointer is marked by the low bit, which is
/// free since objects are at least 16-byte aligned.
@usableFromInline
final class DeliveryContext: @unchecked Sendable {
    // @unchecked: immutable after init; the targets are themselves safe to call from any thread.
    @usableFromInline
    enum Target {
        case callback(@Sendable (Result<RecordMetadata, KafkaError>) -> Void)
        case continuation(UnsafeContinuation<Result<RecordMetadata, KafkaError>, Never>)
    }

    // Two optionals rather than the enum: the report thread calls the callback straight from
    // this object, where taking it out of an enum copies it (an atomic retain and release of
    // the caller's closure context per report).
    private let callback: (@Sendable (Result<RecordMetadata, KafkaError>) -> Void)?
    private let continuation: UnsafeContinuation<Result<RecordMetadata, KafkaError>, Never>?

    @usableFromInline
    init(_ target: Target) {
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

    /// Passes ownership to librdkafka as an opaque pointer.
    @usableFromInline
    func retainedOpaque() -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(self).toOpaque()
    }

    /// Passes ownership of `pending` to librdkafka as an opaque pointer.
    @usableFromInline
    static func retainedOpaque(for pending: PendingDelivery) -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(pending).toOpaque() + pendingMark
    }

    /// Delivers `result` to whoever `opaque` stands for, from a delivery report on the report
    /// thread; `opaque` stays retained until ``release(_:)``, which a sending thread calls
    /// later (see ``NativeDeliveredBatches``).
    static func complete(_ opaque: UnsafeMutableRawPointer, with report: NativeDeliveryReport) {
        // Borrowed, not retained: the sender's reference keeps the object alive until it is
        // released after this, and a retain and release would be two atomic operations more.
        if isPending(opaque) {
            Unmanaged<PendingDelivery>.fromOpaque(opaque - pendingMark)._withUnsafeGuaranteedRef { $0.complete(with: report) }
        } else {
            Unmanaged<DeliveryContext>.fromOpaque(opaque)._withUnsafeGuaranteedRef { $0.complete(report.result) }
        }
    }

    /// ``complete(_:with:)`` for an outcome already built from the report (for interceptors).
    static func complete(_ opaque: UnsafeMutableRawPointer, with result: Result<RecordMetadata, KafkaError>) {
        if isPending(opaque) {
            Unmanaged<PendingDelivery>.fromOpaque(opaque - pendingMark)._withUnsafeGuaranteedRef { $0.complete(result) }
        } else {
            Unmanaged<DeliveryContext>.fromOpaque(opaque)._withUnsafeGuaranteedRef { $0.complete(result) }
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
        let context = Unmanaged<DeliveryContext>.fromOpaque(opaque)
        guard let continuation = context._withUnsafeGuaranteedRef({ $0.continuation }) else { return false }
        context.release()
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
            Unmanaged<DeliveryContext>.fromOpaque(opaque).release()
        }
    }

    private static let pendingMark = 1

    private static func isPending(_ opaque: UnsafeMutableRawPointer) -> Bool {
        UInt(bitPattern: opaque) & UInt(pendingMark) != 0
    }
}
