import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The consumer state that changes under concurrency, with explicit transitions:
///
/// - close: a ``CloseStateMachine``, as the producer's;
/// - the poller token: one task at a time reads records, so the poller's buffers need no lock;
///   other calls borrow it for a moment to touch the read-ahead buffer (storing offsets
///   before a commit, dropping records on a seek), and a reader arriving meanwhile waits;
/// - wakeup: a request from any task that the current or next poll throws `wakeup`;
/// - the closing thread: the thread inside `rd_kafka_consumer_close`, whose rebalance
///   listener may still commit although the gate is closed.
///
/// Calls into librdkafka are admitted separately by ``ClientGate``.
final class ConsumerLifecycle: Sendable {
    private let closeState = Locked(CloseStateMachine())
    /// 0: free; 1: a reader holds it; 2: borrowed (see ``borrowPoll()``).
    private let pollerToken = Atomic<UInt8>(0)
    private let wakeupRequested = Atomic<Bool>(false)
    private let closingThread = Atomic<UInt>(0)

    // MARK: Poller token

    /// Takes the poller token; false if another task is reading.
    func beginPoll() -> Bool {
        while true {
            let (exchanged, holder) = pollerToken.compareExchange(expected: 0, desired: 1, ordering: .acquiring)
            if exchanged { return true }
            if holder == 1 { return false }
            // Borrowed: held only while offsets are stored or read-ahead records dropped.
            sched_yield()
        }
    }

    func endPoll() {
        pollerToken.store(0, ordering: .releasing)
    }

    /// Takes the poller token for a short access to the reader's buffer, without I/O;
    /// false if a reader holds it (the caller then leaves the buffer alone).
    func borrowPoll() -> Bool {
        pollerToken.compareExchange(expected: 0, desired: 2, ordering: .acquiring).exchanged
    }

    func endBorrow() {
        pollerToken.store(0, ordering: .releasing)
    }

    // MARK: Wakeup

    func requestWakeup() {
        wakeupRequested.store(true, ordering: .releasing)
    }

    /// Whether a wakeup was requested; clears the request.
    func takeWakeup() -> Bool {
        wakeupRequested.exchange(false, ordering: .acquiringAndReleasing)
    }

    // MARK: Close

    func startClose() -> CloseStateMachine.StartCloseAction {
        closeState.withLock { $0.startClose() }
    }

    /// Whether close has been called (it may still be running, or finishing in the background).
    var hasStartedClose: Bool {
        closeState.withLock { $0.hasStartedClose }
    }

    /// Registers a task waiting for the running close; false if it has already finished.
    func waitForClose(_ continuation: UnsafeContinuation<Void, Never>) -> Bool {
        closeState.withLock { $0.waitForClose(continuation) }
    }

    func finishClose() {
        for waiter in closeState.withLock({ $0.finishClose() }) { waiter.resume() }
    }

    /// Marks the calling thread as the one running `rd_kafka_consumer_close`.
    func enterCloseThread() {
        closingThread.store(UInt(pthread_self()), ordering: .releasing)
    }

    func leaveCloseThread() {
        closingThread.store(0, ordering: .releasing)
    }

    /// Whether the caller runs inside `rd_kafka_consumer_close` (in a rebalance listener).
    var isOnCloseThread: Bool {
        let thread = closingThread.load(ordering: .acquiring)
        return thread != 0 && thread == UInt(pthread_self())
    }
}
