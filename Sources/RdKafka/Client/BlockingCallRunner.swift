import Foundation

/// Runs a call that blocks its thread (such as librdkafka's transactional calls, which wait
/// for the transaction coordinator for up to their timeout) on a thread of its own, and
/// suspends the calling task until it returns.
///
/// Blocking a thread of Swift's cooperative pool for seconds would starve every other task
/// (on a 2-core machine the pool has 2 threads). A thread per call costs tens of
/// microseconds, nothing beside a coordinator round trip, and needs no shutdown.
///
/// The call cannot be interrupted: cancelling the awaiting task does not end it early; its
/// own timeout bounds it.
enum BlockingCallRunner {
    static func run<Result: Sendable>(_ name: String, _ call: @escaping @Sendable () -> Result) async -> Result {
        // The result is handed over under a lock, and the continuation resumed while holding
        // it, so that ThreadSanitizer sees the short-lived thread's work ordered before what
        // the task does next (it cannot see the concurrency runtime's own ordering, and the
        // task's memory is reused by later calls).
        let outcome = Locked<Result?>(nil)
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let thread = Thread {
                let result = call()
                outcome.withLock { outcome in
                    outcome = result
                    continuation.resume()
                }
            }
            thread.name = name
            thread.start()
        }
        // Never nil: the continuation is resumed only after the result was stored.
        return outcome.withLock { $0! }
    }
}
