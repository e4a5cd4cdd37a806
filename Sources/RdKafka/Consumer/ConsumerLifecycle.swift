import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The consumer state that changes under concurrency, with explicit transitions:
///
/// - close: `open` → `closing` (one task runs it, others wait) → `closed`;
/// - the poller token: one task at a time reads records, so the poller's buffers need no lock;
/// - wakeup: a request from any task that the current or next poll throws `wakeup`;
/// - the closing thread: the thread inside `rd_kafka_consumer_close`, whose rebalance
///   listener may still commit although the gate is closed.
///
/// Calls into librdkafka are admitted separately by ``ClientGate``.
final class ConsumerLifecycle: Sendable {
    private enum CloseState {
        case open
        case closing(waiters: [UnsafeContinuation<Void, Never>])
        case closed
    }

    enum StartCloseAction {
        case run
        case wait
        case alreadyClosed
    }

    private let closeState = Locked(CloseState.open)
    private let pollerActive = Atomic<Bool>(false)
    private let wakeupRequested = Atomic<Bool>(false)
    private let closingThread = Atomic<UInt>(0)

    // MARK: Poller token

    /// Takes the poller token; false if another task is reading.
    func beginPoll() -> Bool {
        pollerActive.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    func endPoll() {
        pollerActive.store(false, ordering: .releasing)
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

    func startClose() -> StartCloseAction {
        closeState.withLock { state in
            switch state {
            case .open:
                state = .closing(waiters: [])
                return .run
            case .closing:
                return .wait
            case .closed:
                return .alreadyClosed
            }
        }
    }

    /// Whether close has been called (it may still be running, or finishing in the background).
    var hasStartedClose: Bool {
        closeState.withLock { state in
            if case .open = state { return false }
            return true
        }
    }

    /// Registers a task waiting for the running close; false if it has already finished.
    func waitForClose(_ continuation: UnsafeContinuation<Void, Never>) -> Bool {
        closeState.withLock { state in
            guard case .closing(var waiters) = state else { return false }
            waiters.append(continuation)
            state = .closing(waiters: waiters)
            return true
        }
    }

    func finishClose() {
        let waiters = closeState.withLock { state -> [UnsafeContinuation<Void, Never>] in
            guard case .closing(let waiters) = state else { return [] }
            state = .closed
            return waiters
        }
        for waiter in waiters { waiter.resume() }
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
