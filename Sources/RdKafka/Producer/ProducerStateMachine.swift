/// The producer's lifecycle, as one value with explicit transitions.
///
/// Sends are admitted by ``ClientGate`` without a lock; this type only decides who runs a
/// close and who waits for it, so close is idempotent and safe from any number of tasks.
struct ProducerStateMachine {
    private enum State {
        case open
        case closing(waiters: [UnsafeContinuation<Void, Never>])
        case closed
    }

    private var state = State.open

    enum StartCloseAction {
        /// This caller performs the close.
        case run
        /// Another close is running; wait for it.
        case wait
        /// Nothing to do.
        case alreadyClosed
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
