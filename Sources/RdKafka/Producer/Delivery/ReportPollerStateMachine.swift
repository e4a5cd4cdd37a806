/// The report server's poller thread's serving policy: when it leaves a non-empty queue to
/// the senders, when it serves it itself, how long it waits, when senders get inline
/// serving back, and when it frees handed-back reports itself. A value: the thread loop in
/// ``ReportServer`` feeds it what it saw and does what it returns, so every decision is
/// unit-tested without threads or a broker.
struct ReportPollerStateMachine {
    /// How many times in a row the poller thread leaves a non-empty queue to senders before
    /// serving it anyway (about 1 ms at ``Wait/senderGrace``), should they not get to it.
    static let maximumDeferrals = 5
    /// How many events the poller thread serves alone, once a sender met user code, before
    /// senders try again.
    static let preferenceLength = 256
    /// How long handed-back delivery reports wait for a sender before the poller thread
    /// frees them: their records count as queued until then, so a flush waits this long.
    static let handBackLimit = Duration.milliseconds(1)

    /// How long the thread waits when nothing wakes it.
    enum Wait: Equatable {
        /// Shortly (0.2 ms): a sender inside will serve the queue, or handed-back reports
        /// may need freeing.
        case senderGrace
        /// The backstop (50 ms): nothing is expected, but a lost wake-up never strands a
        /// report.
        case backstop

        var seconds: Double { self == .senderGrace ? 0.0002 : 0.05 }
    }

    /// What to do about a non-empty queue.
    enum QueueAction: Equatable {
        /// Leave it to the sender inside, which serves right after its send; make sure it
        /// knows there is something to serve.
        case leaveToSenders
        /// Take the serve token and serve everything.
        case serve
    }

    private var deferrals = 0
    private var servedWhilePreferred = 0
    /// Whether the queue was left non-empty this round (to a sender, or to a token holder).
    private var queueWaiting = false
    /// Since when handed-back reports have waited, and the hand-back generation then.
    private var handBackSince: ContinuousClock.Instant?
    private var handBackGeneration: UInt64 = 0

    /// How long to wait for a wake-up before looking again.
    var wait: Wait { queueWaiting || handBackSince != nil ? .senderGrace : .backstop }

    /// The thread served the event a sender handed over, and then `served` more.
    mutating func servedHandoff(followedBy served: Int) {
        servedWhilePreferred += served + 1
    }

    /// The queue is empty.
    mutating func queueIsEmpty() {
        queueWaiting = false
        deferrals = 0
    }

    /// The queue holds events: leave them to a sender inside, at most
    /// ``maximumDeferrals`` times in a row, unless stopping or senders prefer the poller.
    ///
    /// - Parameter sendersInside: read only when it decides.
    mutating func queueHasEvents(stopping: Bool, preferPoller: Bool, sendersInside: @autoclosure () -> Bool) -> QueueAction {
        if !stopping, !preferPoller, deferrals < Self.maximumDeferrals, sendersInside() {
            deferrals += 1
            queueWaiting = true
            return .leaveToSenders
        }
        return .serve
    }

    /// The thread served `served` events with the token, the preference for the poller
    /// being `preferPoller` when it decided to.
    mutating func servedQueue(_ served: Int, preferPoller: Bool) {
        queueWaiting = false
        deferrals = 0
        if preferPoller { servedWhilePreferred += served }
    }

    /// Another thread held the token: it serves until the queue is empty; look again shortly.
    mutating func tokenWasBusy() {
        queueWaiting = true
    }

    /// At the end of a round: whether senders get inline serving back (the preference for
    /// the poller is to be cleared), once the poller has served ``preferenceLength`` events.
    mutating func endRound() -> Bool {
        guard servedWhilePreferred >= Self.preferenceLength else { return false }
        servedWhilePreferred = 0
        return true
    }

    /// Whether the poller thread should free the handed-back reports itself: once none has
    /// been taken by a sender for ``handBackLimit``.
    ///
    /// - Parameters:
    ///   - pending: whether any handed-back reports wait.
    ///   - generation: how many times senders have taken handed-back reports so far.
    ///   - now: read, like `generation`, only while reports wait.
    mutating func handBackIsDue(
        pending: Bool,
        generation readGeneration: @autoclosure () -> UInt64,
        now readNow: @autoclosure () -> ContinuousClock.Instant
    ) -> Bool {
        guard pending else {
            handBackSince = nil
            return false
        }
        let generation = readGeneration()
        let now = readNow()
        guard let since = handBackSince, generation == handBackGeneration else {
            // First seen, or a sender has taken some since: watch afresh.
            handBackSince = now
            handBackGeneration = generation
            return false
        }
        guard since.duration(to: now) >= Self.handBackLimit else { return false }
        handBackSince = nil
        return true
    }

    /// Whether the thread may exit: asked to stop, and nothing was handed over, run or left
    /// waiting this round.
    func mayExit(stopping: Bool, servedHandoff: Bool, ranDeferredCalls: Bool) -> Bool {
        stopping && !servedHandoff && !ranDeferredCalls && !queueWaiting
    }
}
