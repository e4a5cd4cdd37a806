import Foundation

/// Runs work on threads of its own, never on Swift's cooperative pool: calls that block
/// their thread (librdkafka's transactional calls, flush, metadata and watermark queries,
/// a consumer's close), and the long-lived loops of the library's own threads (a producer's
/// report thread).
///
/// Blocking a thread of the cooperative pool for seconds would starve every other task (on
/// a 2-core machine the pool has 2 threads). A thread per call costs tens of microseconds,
/// nothing beside a broker round trip, and needs no shutdown.
enum ThreadRunner {
    /// Runs `call` on a thread named `name` and suspends the calling task until it returns.
    ///
    /// The call cannot be interrupted: cancelling the awaiting task does not end it early;
    /// its own timeout bounds it.
    static func run<Result: Sendable>(_ name: String, _ call: @escaping @Sendable () -> Result) async -> Result {
        // The result is handed over under a lock, and the continuation resumed while holding
        // it, so that ThreadSanitizer sees the short-lived thread's work ordered before what
        // the task does next (it cannot see the concurrency runtime's own ordering, and the
        // task's memory is reused by later calls).
        let outcome = Locked<Result?>(nil)
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            start(name) {
                let result = call()
                outcome.withLock { outcome in
                    outcome = result
                    continuation.resume()
                }
            }
        }
        // Never nil: the continuation is resumed only after the result was stored.
        return outcome.withLock { $0! }
    }

    /// Starts `body` on a thread named `name` and returns at once. Whoever waits for it must
    /// be handed its outcome under a lock, as ``run(_:_:)`` does, for ThreadSanitizer.
    static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }
}
