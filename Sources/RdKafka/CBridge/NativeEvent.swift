import CRdKafka

/// One event taken from a client's queue (`rd_kafka_event_t`): read, then destroyed once.
struct NativeEvent: @unchecked Sendable {
    // @unchecked: an event is served by one thread at a time, handed over with the serve token.
    let pointer: OpaquePointer

    var isDeliveryReport: Bool { rd_kafka_event_type(pointer) == RD_KAFKA_EVENT_DR }

    /// Whether the event carries an error; a delivery report event has one for all its
    /// reports (librdkafka sets it on each as they are read).
    var hasError: Bool { rd_kafka_event_error(pointer) != RD_KAFKA_RESP_ERR_NO_ERROR }

    /// How many delivery reports are left to read.
    var reportCount: Int { rd_kafka_event_message_count(pointer) }

    /// The next delivery report of a delivery report event; `nil` after the last. Each stays
    /// readable until the event is destroyed.
    @inline(__always)
    func nextReport(client: OpaquePointer, context: NativeCallbackContext) -> NativeDeliveryReport? {
        guard let message = rd_kafka_event_message_next(pointer) else { return nil }
        return NativeDeliveryReport(message: message, context: context, client: client)
    }

    /// Handles a client-level event (error, statistics, log line) and destroys it.
    func dispatch(client: OpaquePointer, context: NativeCallbackContext) {
        NativeEventBridge.dispatch(pointer, client: client, context: context)
    }

    func destroy() { rd_kafka_event_destroy(pointer) }
}
