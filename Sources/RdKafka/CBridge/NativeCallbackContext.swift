import CRdKafka
import Foundation
import Synchronization

/// What librdkafka reports to the Swift side of a client: on librdkafka's background thread
/// (consumers, admin clients) or through a ``NativeReportServer`` (producers).
protocol NativeEventReceiver: AnyObject, Sendable {
    /// One delivery report, on the producer's report thread; the report's opaque stays
    /// retained until ``releaseDelivered(_:)``.
    func didDeliver(_ report: NativeDeliveryReport)
    /// Releases the opaques of reports handled by ``didDeliver(_:)``; on a sending thread when
    /// one frees them (see ``NativeDeliveredBatches``).
    func releaseDelivered(_ opaques: UnsafeBufferPointer<UnsafeMutableRawPointer>)
    /// Handles one delivery report if that runs no user code (see ``NativeReportServer``),
    /// on a sending thread; returns false, without handling it, otherwise.
    func didDeliverWithoutUserCode(_ report: NativeDeliveryReport) -> Bool
    /// Whether every delivery report runs user code (an interceptor's acknowledgement), even
    /// a success nobody waits for.
    var reportsEveryDelivery: Bool { get }
    /// A batch of delivery reports has been handled and released.
    func didFinishDeliveryBatch()
    func didReceive(error: KafkaError)
    func didReceive(throttle: ThrottleEvent)
    func didReceive(statisticsJSON: String)
    func didReceive(logLevel: Int32, facility: String, message: String)
    /// A log line with librdkafka's name for the client (`rdkafka#producer-1`); by default
    /// forwards to ``didReceive(logLevel:facility:message:)``.
    func didReceive(logLevel: Int32, facility: String, message: String, clientName: String)
    /// The answer to a commit started with an opaque (`NativeConsumer.commitAsync`).
    func didCommit(opaque: UnsafeMutableRawPointer, result: Result<[TopicPartitionOffset], KafkaError>)
}

extension NativeEventReceiver {
    // Consumers receive no delivery reports; producers make no commits.
    func didDeliver(_ report: NativeDeliveryReport) {}
    func releaseDelivered(_ opaques: UnsafeBufferPointer<UnsafeMutableRawPointer>) {}
    func didDeliverWithoutUserCode(_ report: NativeDeliveryReport) -> Bool { false }
    var reportsEveryDelivery: Bool { false }
    func didFinishDeliveryBatch() {}
    func didCommit(opaque: UnsafeMutableRawPointer, result: Result<[TopicPartitionOffset], KafkaError>) {}
}

extension NativeEventReceiver {
    func didReceive(logLevel: Int32, facility: String, message: String) {}

    func didReceive(logLevel: Int32, facility: String, message: String, clientName: String) {
        didReceive(logLevel: logLevel, facility: facility, message: message)
    }
}

/// The object librdkafka's callbacks reach through their opaque pointer.
///
/// ``NativeClient`` retains it for the life of the `rd_kafka_t`, so a callback can never
/// find it freed.
final class NativeCallbackContext: @unchecked Sendable {
    // @unchecked: `topicNames` is touched only by the one thread serving events at a time:
    // librdkafka's background thread, or whoever holds a NativeReportServer's serve token
    // (handed over with acquire/release ordering); everything else is immutable, atomic or
    // locked.
    let receiver: any NativeEventReceiver
    let partitioner: (@Sendable (UnsafeRawBufferPointer, Int32) -> Int32)?
    /// A consumer's rebalance handling; `nil` for producers.
    let rebalanceHandler: (any NativeRebalanceHandler)?
    /// Answers OAUTHBEARER token refreshes; `nil` unless the application provides tokens.
    let tokenRefreshHandler: (any NativeTokenRefreshHandler)?
    /// The X.509 error of the last broker certificate OpenSSL refused (see ``NativeTLSVerification``).
    private let certificateRejection = Locked<Int32?>(nil)
    private var topicNames: [OpaquePointer: String] = [:]
    private var lastTopic: (handle: OpaquePointer, name: String)?
    private let callbackThread = Atomic<UInt>(0)
    // A pthread mutex (Locked), which ThreadSanitizer understands, unlike Mutex.
    private let server = Locked<NativeReportServer?>(nil)

    init(
        receiver: any NativeEventReceiver,
        partitioner: (@Sendable (UnsafeRawBufferPointer, Int32) -> Int32)?,
        rebalanceHandler: (any NativeRebalanceHandler)? = nil,
        tokenRefreshHandler: (any NativeTokenRefreshHandler)? = nil
    ) {
        self.receiver = receiver
        self.partitioner = partitioner
        self.rebalanceHandler = rebalanceHandler
        self.tokenRefreshHandler = tokenRefreshHandler
    }

    /// Called on a broker thread when OpenSSL refused a broker certificate.
    func recordCertificateRejection(x509Error: Int32, depth: Int32) {
        certificateRejection.withLock { $0 = x509Error }
    }

    /// The X.509 error recorded since the last call, if any.
    func takeCertificateRejection() -> Int32? {
        certificateRejection.withLock { rejection in
            defer { rejection = nil }
            return rejection
        }
    }

    /// Whether the caller runs on the thread that runs the client's callbacks (librdkafka's
    /// background thread, or a producer's report thread), where destroying the client would
    /// deadlock.
    var isOnCallbackThread: Bool {
        callbackThread.load(ordering: .relaxed) == UInt(pthread_self())
    }

    /// The producer's report server while it runs (set and cleared by the server itself),
    /// so that librdkafka's log and throttle callbacks can tell when a sender is serving.
    var reportServer: NativeReportServer? {
        get { server.withLock { $0 } }
        set { server.withLock { $0 = newValue } }
    }

    /// Runs `call` now, or on the report server's poller thread when the caller is a sender
    /// serving reports, where user code must not run.
    func runUserCode(_ call: @escaping @Sendable () -> Void) {
        if let reportServer, reportServer.isServingInline {
            reportServer.deferToPoller(call)
        } else {
            call()
        }
    }

    func enterCallback() {
        callbackThread.store(UInt(pthread_self()), ordering: .relaxed)
    }

    /// The topic's name, created once per topic rather than once per delivery report. The
    /// last topic is remembered apart, since reports come in batches of one topic and a
    /// pointer comparison is cheaper than hashing.
    fileprivate func topicName(_ topic: OpaquePointer) -> String {
        if let lastTopic, lastTopic.handle == topic { return lastTopic.name }
        let name: String
        if let known = topicNames[topic] {
            name = known
        } else {
            name = String(nativeCString: rd_kafka_topic_name(topic))
            topicNames[topic] = name
        }
        lastTopic = (topic, name)
        return name
    }
}

/// A delivery report, read lazily from librdkafka's message so that the common case (a
/// success nobody waits for) costs no allocation.
struct NativeDeliveryReport {
    fileprivate let message: UnsafePointer<rd_kafka_message_t>
    fileprivate let context: NativeCallbackContext
    fileprivate let client: OpaquePointer

    /// The per-record pointer given at send time.
    var opaque: UnsafeMutableRawPointer? { message.pointee._private }
    var succeeded: Bool { message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR }
    var topic: String { context.topicName(message.pointee.rkt) }
    var partition: Int32 { message.pointee.partition }
    var offset: Int64 { message.pointee.offset }

    /// Where the record was stored, without its topic.
    var storedAt: (partition: Int32, offset: Int64, timestamp: KafkaTimestamp?, kind: KafkaTimestamp.Kind) {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &type)
        let timestamp = type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : KafkaTimestamp(millisecondsSinceEpoch: milliseconds)
        return (partition, offset, timestamp, NativeMessages.timestampKind(type))
    }

    var metadata: RecordMetadata {
        let stored = storedAt
        return RecordMetadata(topic: topic, partition: stored.partition, offset: stored.offset, timestamp: stored.timestamp, timestampKind: stored.kind)
    }

    /// The failure; marked fatal when the producer has failed fatally (e.g. an idempotent
    /// producer lost sequence synchronisation), since such a record can never be retried on it.
    var error: KafkaError {
        var error = NativeErrors.error(message.pointee.err, context: "delivery failed", topic: topic, partition: partition)
        if rd_kafka_fatal_error(client, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR {
            error.isFatal = true
            error.isRetriable = false
        }
        return error
    }

    var result: Result<RecordMetadata, KafkaError> { succeeded ? .success(metadata) : .failure(error) }
}

/// Installs the background-thread event callback that serves a producer's events.
enum NativeEventBridge {
    /// Routes delivery reports, errors, throttling, statistics and logs to the background
    /// thread. The background queue is served by librdkafka itself, so reports arrive as
    /// soon as librdkafka has them, with no poll loop and no timer in between.
    static func installBackgroundCallback(on configuration: NativeConfiguration, deliveryReports: Bool) {
        installCallbacks(on: configuration, deliveryReports: deliveryReports)
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

    /// Enables the events a client handles, and the throttle and log callbacks, for a client
    /// whose main queue is served by a ``NativeReportServer``.
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

    /// What a sender left of an event for the poller thread.
    struct Unfinished {
        /// The delivery report it stopped at, already taken from the event; `nil` when the
        /// event is not a delivery report event and was not touched.
        let message: UnsafePointer<rd_kafka_message_t>?
    }

    /// Handles a delivery report event and destroys it, unless some report needs user code:
    /// then stops there and returns what is left (see ``NativeReportServer``).
    ///
    /// - Parameter mayCarryContexts: false while every record of the producer was sent and
    ///   forgotten: then an event without an error is destroyed without reading its reports.
    ///   librdkafka gives a delivery report event one error for all its records (it sets it
    ///   on each as they are read), so none of them failed.
    static func dispatchWithoutUserCode(
        _ event: OpaquePointer,
        client: OpaquePointer,
        context: NativeCallbackContext,
        mayCarryContexts: Bool
    ) -> Unfinished? {
        guard rd_kafka_event_type(event) == RD_KAFKA_EVENT_DR else { return Unfinished(message: nil) }
        let receiver = context.receiver
        let reportsEveryDelivery = receiver.reportsEveryDelivery
        if !mayCarryContexts, !reportsEveryDelivery, rd_kafka_event_error(event) == RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_event_destroy(event)
            receiver.didFinishDeliveryBatch()
            return nil
        }
        while let message = rd_kafka_event_message_next(event) {
            // The common case, a success nobody waits for, needs nothing: checked here rather
            // than through the receiver, once per record.
            if !reportsEveryDelivery, message.pointee._private == nil, message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR { continue }
            if !receiver.didDeliverWithoutUserCode(NativeDeliveryReport(message: message, context: context, client: client)) {
                return Unfinished(message: message)
            }
        }
        rd_kafka_event_destroy(event)
        receiver.didFinishDeliveryBatch()
        return nil
    }

    /// Handles the delivery reports of a delivery report event, `first` (a report already
    /// taken from it and not yet handled) included, and returns the event as a batch to free
    /// later, with the opaques its reports still hold.
    static func deliver(
        _ event: OpaquePointer,
        startingWith first: UnsafePointer<rd_kafka_message_t>? = nil,
        client: OpaquePointer,
        context: NativeCallbackContext
    ) -> NativeDeliveredBatches.Batch {
        let receiver = context.receiver
        let capacity = rd_kafka_event_message_count(event) + (first == nil ? 0 : 1)
        let batch = NativeDeliveredBatches.Batch(event: event, capacity: capacity)
        if let first { deliver(first, to: receiver, keepingIn: batch, client: client, context: context) }
        while let message = rd_kafka_event_message_next(event) {
            deliver(message, to: receiver, keepingIn: batch, client: client, context: context)
        }
        return batch
    }

    private static func deliver(
        _ message: UnsafePointer<rd_kafka_message_t>,
        to receiver: any NativeEventReceiver,
        keepingIn batch: NativeDeliveredBatches.Batch,
        client: OpaquePointer,
        context: NativeCallbackContext
    ) {
        let report = NativeDeliveryReport(message: message, context: context, client: client)
        receiver.didDeliver(report)
        if let opaque = report.opaque { batch.keep(opaque) }
    }

    /// Handles `event` and destroys it; delivery report events go through ``deliver(_:startingWith:client:context:)``.
    static func dispatch(_ event: OpaquePointer, client: OpaquePointer, context: NativeCallbackContext) {
        let receiver = context.receiver
        switch rd_kafka_event_type(event) {
        case RD_KAFKA_EVENT_DR:
            // A producer's report server hands these back to a sender instead; freed here
            // at once, should one ever come this way.
            deliver(event, client: client, context: context).free(releasingThrough: receiver)
            receiver.didFinishDeliveryBatch()
            return
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
            if let opaque = rd_kafka_event_opaque(event) {
                receiver.didCommit(opaque: opaque, result: commitResult(event))
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
