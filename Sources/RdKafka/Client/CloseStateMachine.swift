/// A client's close, as one value with explicit transitions: `open` → `closing` (one caller
/// runs the close, the others wait) → `closed`. The producer and the consumer both keep
/// theirs under a lock.
///
/// Calls into librdkafka are admitted separately, without a lock, by ``ClientGate``; this
/// type only decides who runs a close and who waits for it, so close is idempotent and safe
/// from any number of tasks.
struct CloseStateMachine {
    private enum State {
        case open
        case closing(waiters: [UnsafeContinuation<Void, Never>])
        case closed
    }

    private var state = State.open

    enum StartCloseAction: Equatable {
        /// This caller performs the close.
        case run
        /// Another close is running; wait for it.
        case wait
        /// Nothing to do.
        case alreadyClosed
    }

    /// Whether close has been called (it may still be running).
    var hasStartedClose: Bool {
        if case .open = state { return false }
        return true
    }

    mutating func startClose() -> StartCloseAction {
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

    /// Registers a caller waiting for the running close; returns false if it already finished.
    mutating func waitForClose(_ continuation: UnsafeContinuation<Void, Never>) -> Bool {
        guard case .closing(var waiters) = state else { return false }
        waiters.append(continuation)
        state = .closing(waiters: waiters)
        return true
    }

    /// Marks the close finished; returns the callers to resume.
    mutating func finishClose() -> [UnsafeContinuation<Void, Never>] {
        guard case .closing(let waiters) = state else { return [] }
        state = .closed
        return waiters
    }
}
