import Foundation

/// The blocking part of a consumer's close, on a thread of its own: waits for the calls
/// admitted before the gate closed, runs `rd_kafka_consumer_close` (which serves the final
/// revocation, calling the rebalance listener on this thread), and destroys the handle.
///
/// It runs to the end even when the closing task stopped waiting for it, so the handle is
/// destroyed exactly once, here, and never under a call still running; the consumer's
/// `deinit` leaves it alone once close has started.
struct ClosingConsumer: Sendable {
    let native: NativeConsumer
    let reader: ConsumerReader
    let gate: ClientGate
    let lifecycle: ConsumerLifecycle
    let events: ConsumerEventReceiver
    let rebalance: ConsumerRebalanceHandler
    let statistics: ClientStatistics?
    /// Calls the interceptors' `close()`, once the client is released.
    let closeInterceptors: (@Sendable () -> Void)?

    /// Starts the thread; `outcome` learns when the consumer is closed and released.
    func start(reportingTo outcome: ConsumerCloseOutcome) {
        ThreadRunner.start("rdkafka-consumer-close") {
            run()
            outcome.finish(closed: true)
        }
    }

    private func run() {
        // Close woke any blocked poll; what is left inside are short calls (or a commit
        // waiting for its coordinator).
        gate.waitUntilDrainedBlocking()
        // The commit on close covers exactly the records returned; those read ahead go.
        reader.releaseForClose()
        lifecycle.enterCloseThread()
        if let error = native.close() { events.didReceive(error: error) }
        // The final revocation sent what was held; anything held after it never can be.
        rebalance.closeCommits()
        lifecycle.leaveCloseThread()
        native.destroy()
        statistics?.clientDidClose()
        closeInterceptors?()
    }
}

/// Whether a close finished in time, handed once to the task awaiting it: by the closing
/// thread when it is done, or by the deadline, whichever comes first.
final class ConsumerCloseOutcome: Sendable {
    private enum State {
        case pending(UnsafeContinuation<Bool, Never>?)
        case finished(Bool)
    }

    private let state = Locked(State.pending(nil))

    /// Records the outcome; only the first call counts.
    func finish(closed: Bool) {
        state.withLock { state in
            guard case .pending(let waiter) = state else { return }
            state = .finished(closed)
            // Resumed under the lock so ThreadSanitizer sees the closing thread's work
            // ordered before what the task does next.
            waiter?.resume(returning: closed)
        }
    }

    /// Suspends until ``finish(closed:)``; true if the close finished, false if the deadline
    /// came first. One waiter only.
    func wait() async -> Bool {
        await withUnsafeContinuation { continuation in
            state.withLock { state in
                switch state {
                case .pending:
                    state = .pending(continuation)
                case .finished(let closed):
                    continuation.resume(returning: closed)
                }
            }
        }
    }
}
