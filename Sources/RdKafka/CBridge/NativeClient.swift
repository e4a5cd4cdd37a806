import CRdKafka
import Foundation

/// The one owner of an `rd_kafka_t`.
///
/// `destroy()` runs `rd_kafka_destroy` exactly once, whichever of an explicit close or
/// `deinit` gets there first; afterwards the context retained for librdkafka's callbacks is
/// released, because librdkafka joins its threads inside `rd_kafka_destroy` and so can no
/// longer call into it.
final class NativeClient: @unchecked Sendable {
    // @unchecked: `pointer` is immutable; `destroyed` is guarded by `lock`.
    let pointer: OpaquePointer
    private let callbackContext: Unmanaged<NativeCallbackContext>?
    private let lock = NativeLock()
    private var destroyed = false
    private var queueServer: (any NativeQueueServer)?
    /// A producer's handle for the topic it sends to most (see ``NativeTopicHandle``).
    let topicHandle = NativeTopicHandle()
    /// The handle's finder, for the send path: through `Unmanaged` a send reads it without
    /// retaining and releasing it around the call (two atomic operations per record).
    var topicHandleFinder: Unmanaged<NativeTopicHandle> { Unmanaged.passUnretained(topicHandle) }

    enum Kind { case producer, consumer }

    /// Creates the client from `configuration`, which librdkafka takes over on success.
    ///
    /// - Parameter callbackContext: the object whose pointer was set as the configuration's
    ///   opaque; it is kept alive until after `rd_kafka_destroy`.
    init(kind: Kind, configuration: NativeConfiguration, callbackContext: NativeCallbackContext?) throws(KafkaError) {
        let context = callbackContext.map { Unmanaged.passRetained($0) }
        if let context {
            rd_kafka_conf_set_opaque(configuration.pointer, context.toOpaque())
        }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        let conf = configuration.pointer
        guard let handle = rd_kafka_new(type, conf, &errorBuffer, errorBuffer.count) else {
            context?.release()
            let message = String(cBuffer: errorBuffer)
            throw KafkaError(code: .invalidConfiguration, message: "librdkafka refused the configuration: \(message)")
        }
        configuration.didTransferOwnership()
        self.pointer = handle
        self.name = String(nativeCString: rd_kafka_name(handle))
        self.callbackContext = context
    }

    var isDestroyed: Bool { lock.withLock { destroyed } }

    /// Runs `body` with the handle unless it has been destroyed, holding off destruction
    /// meanwhile: for calls made from outside librdkafka's threads at any time, such as
    /// handing over an OAUTHBEARER token. `body` must be short and must not block.
    func withLiveHandle<R>(_ body: (OpaquePointer) -> R) -> R? {
        lock.withLock { destroyed ? nil : body(pointer) }
    }

    /// Keeps the server of the client's main queue (a producer's report server) to stop
    /// before the handle is destroyed.
    func attach(_ server: any NativeQueueServer) {
        lock.withLock { queueServer = server }
    }

    /// Destroys the handle once; later calls do nothing.
    ///
    /// - Parameter failOutstanding: first fail every queued and in-flight record (their
    ///   delivery reports say "purged") and wait for those reports to be handled, so that no
    ///   awaiting task or callback is left without an answer.
    func destroy(failOutstanding: Bool = false) {
        let (shouldDestroy, server) = lock.withLock { () -> (Bool, (any NativeQueueServer)?) in
            if destroyed { return (false, nil) }
            destroyed = true
            return (true, queueServer)
        }
        guard shouldDestroy else { return }
        let teardown = Teardown(
            pointer: pointer,
            context: callbackContext,
            queueServer: server,
            topicHandle: topicHandle,
            failOutstanding: failOutstanding
        )
        if callbackContext?.takeUnretainedValue().isOnCallbackThread == true {
            // The last reference went away inside one of librdkafka's callbacks, where
            // rd_kafka_destroy would wait for the very thread it runs on.
            ThreadRunner.start("rdkafka-teardown") { teardown.run() }
        } else {
            teardown.run()
        }
    }

    deinit {
        destroy(failOutstanding: true)
    }

    /// The client's name as librdkafka reports it (`rdkafka#producer-1`); read once, so it
    /// stays available after the handle is destroyed.
    let name: String
}

/// The destruction of one client, movable to another thread.
private struct Teardown: @unchecked Sendable {
    // @unchecked: the handle is no longer reachable by anyone else once destroy() claimed it.
    let pointer: OpaquePointer
    let context: Unmanaged<NativeCallbackContext>?
    let queueServer: (any NativeQueueServer)?
    let topicHandle: NativeTopicHandle
    let failOutstanding: Bool

    func run() {
        if failOutstanding {
            NativeMessages.purgeAll(pointer)
            // The queue server (or the background thread) serves the purge reports meanwhile.
            _ = rd_kafka_flush(pointer, 10_000)
        }
        queueServer?.stop()
        topicHandle.destroy()
        rd_kafka_destroy(pointer)
        context?.release()
    }
}
