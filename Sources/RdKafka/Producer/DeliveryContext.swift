/// Who is told the outcome of one record: travels through librdkafka as the record's opaque.
///
/// It is retained when the record is handed to librdkafka and released exactly once, by the
/// delivery report, which librdkafka emits for every record it accepted (success, failure,
/// timeout or purge on close).
final class DeliveryContext: @unchecked Sendable {
    // @unchecked: immutable after init; the targets are themselves safe to call from any thread.
    enum Target {
        case callback(@Sendable (Result<RecordMetadata, KafkaError>) -> Void)
        case continuation(UnsafeContinuation<Result<RecordMetadata, KafkaError>, Never>)
        case pending(PendingDelivery)
    }

    let target: Target

    init(_ target: Target) {
        self.target = target
    }

    func complete(_ result: Result<RecordMetadata, KafkaError>) {
        switch target {
        case .callback(let callback): callback(result)
        case .continuation(let continuation): continuation.resume(returning: result)
        case .pending(let pending): pending.complete(result)
        }
    }

    /// Passes ownership to librdkafka as an opaque pointer.
    func retainedOpaque() -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(self).toOpaque()
    }

    /// Takes back ownership: from a delivery report, or after librdkafka refused the record.
    static func takeRetained(_ opaque: UnsafeMutableRawPointer) -> DeliveryContext {
        Unmanaged<DeliveryContext>.fromOpaque(opaque).takeRetainedValue()
    }
}
