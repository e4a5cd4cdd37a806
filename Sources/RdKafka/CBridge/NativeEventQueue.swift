import CRdKafka

/// A client's main queue, served by the Swift side rather than by librdkafka's background
/// thread (a producer's report server).
struct NativeEventQueue: @unchecked Sendable {
    // @unchecked: librdkafka's queues are thread-safe; the pointer is immutable.
    private let pointer: OpaquePointer

    /// The main queue of `client`, to which its log lines are routed too; released by
    /// ``destroy()``.
    init?(mainQueueOf client: OpaquePointer) {
        guard let queue = rd_kafka_queue_get_main(client) else { return nil }
        _ = rd_kafka_set_log_queue(client, queue)
        pointer = queue
    }

    /// The next event, without waiting.
    @inline(__always)
    func poll() -> NativeEvent? {
        rd_kafka_queue_poll(pointer, 0).map { NativeEvent(pointer: $0) }
    }

    var isEmpty: Bool { rd_kafka_queue_length(pointer) == 0 }

    /// Has librdkafka call `wake` with `opaque` whenever the queue goes from empty to
    /// non-empty, on its own thread with the queue locked: `wake` must only signal.
    func wakeWhenNonEmpty(_ wake: @escaping @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void, opaque: UnsafeMutableRawPointer) {
        rd_kafka_queue_cb_event_enable(pointer, wake, opaque)
    }

    func stopWaking() { rd_kafka_queue_cb_event_enable(pointer, nil, nil) }

    func destroy() { rd_kafka_queue_destroy(pointer) }
}
