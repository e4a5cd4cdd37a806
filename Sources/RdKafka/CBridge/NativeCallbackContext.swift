import CRdKafka
import Foundation
import Synchronization

/// The object librdkafka's callbacks reach through their opaque pointer.
///
/// ``NativeClient`` retains it for the life of the `rd_kafka_t`, so a callback can never
/// find it freed.
final class NativeCallbackContext: @unchecked Sendable {
    // @unchecked: `topicNames` is touched only by the one thread serving events at a time:
    // librdkafka's background thread, or whoever holds a report server's serve token
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
    private let server = Locked<(any NativeQueueServer)?>(nil)

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

    /// The server of the client's main queue while it runs (a producer's report server; set
    /// and cleared by the server itself), so that librdkafka's log and throttle callbacks can
    /// ask it where their user code may run.
    var queueServer: (any NativeQueueServer)? {
        get { server.withLock { $0 } }
        set { server.withLock { $0 = newValue } }
    }

    /// Runs `call` now, or where the queue server says, when the caller must not run user
    /// code (a sender serving reports).
    func runUserCode(_ call: @escaping @Sendable () -> Void) {
        if let queueServer {
            queueServer.runUserCode(call)
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
    func topicName(_ topic: OpaquePointer) -> String {
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
