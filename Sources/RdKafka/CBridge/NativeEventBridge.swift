import CRdKafka
import Foundation
import Synchronization

/// Installs librdkafka's event callbacks and hands client-level events to a client's
/// ``NativeEventReceiver``: on librdkafka's background thread (consumers, admin clients), or
/// for a producer's report server, which serves its delivery reports itself.
enum NativeEventBridge {
    /// Routes errors, throttling, statistics and logs to the background thread. The
    /// background queue is served by librdkafka itself, so events arrive as soon as
    /// librdkafka has them, with no poll loop and no timer in between.
    static func installBackgroundCallback(on configuration: NativeConfiguration) {
        installCallbacks(on: configuration, deliveryReports: false)
        rd_kafka_conf_set_background_event_cb(configuration.pointer) { client, event, opaque in
            guard let event else { return }
            NativeEventBridge.dispatchOnBackgroundThread(event, client: client, opaque: opaque)
        }
    }

    /// Handles one event on librdkafka's background thread for the client whose
    /// ``NativeCallbackContext`` is `opaque`; destroys the event if there is none.
    static func dispatchOnBackgroundThread(_ event: OpaquePointer, client: OpaquePointer?, opaque: UnsafeMutableRawPointer?) {
        guard let opaque, let client else {
            rd_kafka_event_destroy(event)
            return
        }
        let context = Unmanaged<NativeCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
        context.enterCallback()
        NativeEventBridge.dispatch(event, client: client, context: context)
    }

    /// Enables the events a client handles, and the throttle and log callbacks; delivery
    /// report events only for a producer, whose main queue a ``NativeQueueServer`` serves.
    static func installCallbacks(on configuration: NativeConfiguration, deliveryReports: Bool) {
        var events = RD_KAFKA_EVENT_ERROR | RD_KAFKA_EVENT_STATS | RD_KAFKA_EVENT_LOG
        if deliveryReports { events |= RD_KAFKA_EVENT_DR }
        configuration.enableEvents(events)
        // librdkafka 2.0 has no throttle event; the background thread serves the throttle
        // callback like any other op it cannot turn into an event.
        rd_kafka_conf_set_throttle_cb(configuration.pointer) { _, brokerName, brokerID, milliseconds, opaque in
            guard let opaque else { return }
            let context = Unmanaged<NativeCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
            let event = ThrottleEvent(
                brokerName: brokerName.map { String(cString: $0) } ?? "",
                brokerID: brokerID,
                duration: .milliseconds(milliseconds)
            )
            context.runUserCode { context.receiver.didReceive(throttle: event) }
        }
        // With `log.queue=true` a log line travels as an op that carries its own serve
        // function, so the background thread hands it to the log callback rather than to
        // the event callback: without this callback librdkafka would print it to stderr.
        rd_kafka_conf_set_log_cb(configuration.pointer) { client, level, facility, message in
            guard let client, let opaque = rd_kafka_opaque(client) else { return }
            let context = Unmanaged<NativeCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
            let facility = facility.map { String(cString: $0) } ?? ""
            let message = message.map { String(cString: $0) } ?? ""
            let clientName = String(nativeCString: rd_kafka_name(client))
            context.runUserCode {
                context.receiver.didReceive(logLevel: level, facility: facility, message: message, clientName: clientName)
            }
        }
    }

    /// Forwards the client's main queue (delivery reports, errors, statistics, and log lines)
    /// to the background queue that librdkafka serves, and routes logs there too, so a slow
    /// log handler never blocks librdkafka's own threads.
    static func routeMainQueueToBackground(of client: OpaquePointer) {
        let main = rd_kafka_queue_get_main(client)
        let background = rd_kafka_queue_get_background(client)
        if let main, let background {
            rd_kafka_queue_forward(main, background)
        }
        _ = rd_kafka_set_log_queue(client, main)
        if let main { rd_kafka_queue_destroy(main) }
        if let background { rd_kafka_queue_destroy(background) }
    }

    /// Handles a client-level event and destroys it. Delivery report events never come here:
    /// only a producer enables them, and its report server handles them itself.
    static func dispatch(_ event: OpaquePointer, client: OpaquePointer, context: NativeCallbackContext) {
        let receiver = context.receiver
        switch rd_kafka_event_type(event) {
        case RD_KAFKA_EVENT_ERROR:
            let code = rd_kafka_event_error(event)
            if rd_kafka_event_error_is_fatal(event) != 0, let fatal = NativeErrors.fatalError(of: client) {
                receiver.didReceive(error: fatal)
            } else {
                let text = String(nativeCString: rd_kafka_event_error_string(event))
                var error = KafkaError(code: KafkaError.Code(rawValue: code.rawValue), message: text)
                if code == RD_KAFKA_RESP_ERR__SSL, let x509Error = context.takeCertificateRejection() {
                    let failure = KafkaError.SecurityFailure(x509Error: x509Error)
                    error.message += " [\(failure.explanation)]"
                    error.securityFailure = failure
                }
                receiver.didReceive(error: error)
            }
        case RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH:
            // The background thread may hand the refresh over as an event rather than call
            // the refresh callback.
            context.tokenRefreshHandler?.tokenRefreshRequested()
        case RD_KAFKA_EVENT_OFFSET_COMMIT:
            if let opaque = rd_kafka_event_opaque(event), let committer = receiver as? any NativeCommitReceiver {
                committer.didCommit(opaque: opaque, result: commitResult(event))
            }
        case RD_KAFKA_EVENT_STATS:
            if let json = rd_kafka_event_stats(event) {
                receiver.didReceive(statisticsJSON: String(cString: json))
            }
        case RD_KAFKA_EVENT_LOG:
            var facility: UnsafePointer<CChar>?
            var text: UnsafePointer<CChar>?
            var level: Int32 = 0
            if rd_kafka_event_log(event, &facility, &text, &level) == 0 {
                receiver.didReceive(
                    logLevel: level,
                    facility: facility.map { String(cString: $0) } ?? "",
                    message: text.map { String(cString: $0) } ?? "",
                    clientName: String(nativeCString: rd_kafka_name(client))
                )
            }
        default:
            break
        }
        rd_kafka_event_destroy(event)
    }

    private static func commitResult(_ event: OpaquePointer) -> Result<[TopicPartitionOffset], KafkaError> {
        let code = rd_kafka_event_error(event)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET {
            return .failure(NativeErrors.error(code, context: "commit failed"))
        }
        guard let list = rd_kafka_event_topic_partition_list(event) else { return .success([]) }
        let copy = NativeTopicPartitionList(adopting: rd_kafka_topic_partition_list_copy(list))
        if let error = copy.firstError(context: "commit failed") { return .failure(error) }
        return .success(copy.offsets)
    }
}
