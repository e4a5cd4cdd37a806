import Foundation
import Synchronization

/// Serves a producer's main queue (delivery reports, errors, statistics, logs): on the
/// sending thread right after a send when it can, otherwise on a poller thread of its own.
///
/// Serving reports on the thread that allocated the records lets the allocator reuse their
/// memory at once; served on another thread, every record is allocated on one thread and
/// freed on another, which glibc handles poorly (arena lock contention, no tcache reuse).
///
/// The rules:
/// - One thread serves at a time, whoever holds the serve token, so reports are handled in
///   the order librdkafka queued them.
/// - A sender serves only what runs no user code: a success nobody waits for, or a
///   ``PendingDelivery`` or awaiting task to resume. At the first report or event that would
///   call user code (a delivery callback, a failure handler, an interceptor, an error,
///   statistics or log handler) it hands that event, with the token, to the poller thread,
///   which handles the rest in order. Log and throttle callbacks that librdkafka makes while
///   a sender serves are queued for the poller thread too.
/// - The poller thread is woken when the queue goes from empty to non-empty
///   (`rd_kafka_queue_cb_event_enable`). It leaves the queue to a sender that is inside a
///   send (which serves right after), and checks again shortly; with no sender inside it
///   serves at once (this policy is ``ReportPollerStateMachine``). Whether a sender is
///   inside is the producer's close gate's count of sends, so a send pays no atomic
///   operation for it; a sender that finds the queue non-empty after leaving the gate wakes
///   the poller thread. A bounded wait backs up the wake-up, so a report is never stranded.
/// - Delivery reports the poller thread handles are handed back (``DeliveredBatches``)
///   for a sender to free after its next send, since the sender allocated their records. If
///   no sender takes them within ``ReportPollerStateMachine/handBackLimit`` (an idle
///   producer, a flush), the poller thread frees them itself.
final class ReportServer: NativeQueueServer, @unchecked Sendable {
    // @unchecked: `queue`, `client`, `context` and `receiver` are immutable; `handoff` and
    // `deferred` are guarded by `condition`; `deliveredOpaques` is the poller thread's own;
    // the rest is atomic.
    private let client: OpaquePointer
    private let queue: NativeEventQueue
    private let context: NativeCallbackContext
    private let receiver: ProducerEventReceiver
    /// Counts the sends inside: while one is, it will look at the queue before it leaves, so
    /// a new event does not wake the poller thread, whose wake-up would compete with the
    /// broker threads for the cores. The gate's add on leaving and ``hasEvents`` are both
    /// sequentially consistent, so either the thread that queued an event sees a sender
    /// inside, or that sender, having left, sees the event (``senderLeft()``).
    private let gate: ClientGate
    private let token = Atomic<Bool>(false)
    /// The thread serving on behalf of a sender, so librdkafka's callbacks can tell that they
    /// must not run user code now.
    private let inlineThread = Atomic<UInt>(0)
    private let wakeups = Atomic<UInt64>(0)
    /// Whether the poller thread is about to wait, or waiting, on `condition`: only then does
    /// a wake-up need the lock and a signal. The first wake-up that finds it set clears it,
    /// so a sender meeting reports that need the poller thread, which asks for it after
    /// every send until the thread gets to them, signals once.
    private let pollerWaiting = Atomic<Bool>(false)
    /// Set when the queue goes from empty to non-empty, cleared by whoever is about to empty
    /// it: lets a sender skip the queue (and its lock) when there is nothing to serve.
    private let hasEvents = Atomic<Bool>(false)
    /// Set when a sender met a report that needs user code (a delivery callback, say): then
    /// the reports are likely to keep needing it, and senders leave them to the poller
    /// thread rather than start on each event and hand it over. Cleared again after a while,
    /// so that a producer whose reports stop needing user code gets inline serving back.
    private let preferPoller = Atomic<Bool>(false)
    /// Set once a record with a context was sent. Until then every record was sent and
    /// forgotten, so a delivery report event without an error needs no look at its records.
    /// Relaxed: a record's report is read after its send through librdkafka's own locks.
    private let contextsSent = Atomic<Bool>(false)
    private let delivered = DeliveredBatches()
    private let condition = NSCondition()
    private var handoff: Handoff?
    private var deferred: [@Sendable () -> Void] = []
    /// The opaques of the delivery report event the poller thread is handling, kept with the
    /// event when it is handed back; only the poller thread touches it, and it keeps its
    /// capacity, so handing back allocates nothing. One thread, and no overlapping access:
    /// its dynamic exclusivity checks would cost two runtime calls per report.
    @exclusivity(unchecked) private var deliveredOpaques: [UnsafeMutableRawPointer] = []
    private var stopRequested = false
    private var exited = false

    /// An event a sender began, handed to the poller thread with the serve token.
    private struct Handoff: @unchecked Sendable {
        let event: NativeEvent
        /// The delivery report the sender stopped at, already taken from the event.
        let report: NativeDeliveryReport?
    }

    /// The most events a sender serves per send, so that one send never serves for long.
    private static let inlineEventLimit = 16

    /// Takes over the client's main queue (and its log queue) and starts the poller thread;
    /// `nil` if librdkafka has no main queue to give.
    ///
    /// - Parameter gate: the producer's close gate, which its sends enter with
    ///   `enterSending()`.
    init?(client: NativeClient, context: NativeCallbackContext, receiver: ProducerEventReceiver, gate: ClientGate) {
        guard let queue = NativeEventQueue(mainQueueOf: client.pointer) else { return nil }
        self.client = client.pointer
        self.queue = queue
        self.context = context
        self.receiver = receiver
        self.gate = gate
        context.queueServer = self
        client.attach(self)
        queue.wakeWhenNonEmpty({ _, opaque in
            // Runs on a librdkafka thread with the queue locked: only wake the poller.
            guard let opaque else { return }
            Unmanaged<ReportServer>.fromOpaque(opaque).takeUnretainedValue().wake()
        }, opaque: Unmanaged.passUnretained(self).toOpaque())
        ThreadRunner.start("rdkafka-reports") { [self] in run() }
    }

    // MARK: - Sender side

    /// A sender (inside the gate) is about to enqueue a record, with a context (a callback, a
    /// waiting task, a ``PendingDelivery``) or without (sent and forgotten).
    func senderWillSend(carryingContext: Bool) {
        if carryingContext, !contextsSent.load(ordering: .relaxed) {
            contextsSent.store(true, ordering: .relaxed)
        }
    }

    /// A sender has left the gate (`leaveSending()`, a full fence): an event queued while it
    /// was inside did not wake the poller thread, so if one is waiting, wake it now.
    func senderLeft() {
        if hasEvents.load(ordering: .sequentiallyConsistent) { signalPoller() }
    }

    /// Serves what the queue holds without running user code; called by a sender inside the
    /// gate, right after librdkafka accepted its record, or when the queue was full.
    ///
    /// - Returns: whether anything was served.
    @discardableResult
    func serveAfterSend() -> Bool {
        // Frees records, and so makes room in the queue, before serving more: a sender that
        // found the queue full serves and tries again.
        let freed = freeDelivered()
        guard hasEvents.load(ordering: .sequentiallyConsistent) else { return freed }
        if preferPoller.load(ordering: .relaxed) {
            signalPoller()
            return freed
        }
        // If another thread holds the token, it serves until the queue is empty; what comes
        // after its last look wakes the poller thread, since no sender is inside any more.
        guard token.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return freed }
        inlineThread.store(UInt(pthread_self()), ordering: .relaxed)
        // Cleared before looking, so an event queued after the last look sets it again.
        hasEvents.store(false, ordering: .relaxed)
        var served = false
        var emptied = false
        for _ in 0..<Self.inlineEventLimit {
            guard let event = queue.poll() else {
                emptied = true
                break
            }
            served = true
            if let unfinished = serveWithoutUserCode(event, mayCarryContexts: contextsSent.load(ordering: .relaxed)) {
                // Keep the token: the poller thread continues exactly where this left off.
                inlineThread.store(0, ordering: .relaxed)
                if unfinished.report != nil { preferPoller.store(true, ordering: .relaxed) }
                hand(unfinished)
                return true
            }
        }
        inlineThread.store(0, ordering: .relaxed)
        token.store(false, ordering: .releasing)
        if !emptied {
            // Left for the next send, or for the poller thread if no send comes.
            hasEvents.store(true, ordering: .sequentiallyConsistent)
            signalPoller()
        }
        return served || freed
    }

    /// Frees the delivery reports handed back by the poller thread; inside the close gate,
    /// or on the poller thread.
    @discardableResult
    private func freeDelivered() -> Bool {
        if delivered.isEmpty { return false }
        guard delivered.freeAll() else { return false }
        receiver.didFinishDeliveryBatch()
        return true
    }

    /// Whether the caller is a sender serving the queue, where user code must not run.
    var isServingInline: Bool {
        inlineThread.load(ordering: .relaxed) == UInt(pthread_self())
    }

    /// Runs `call` now, or, when the caller is a sender serving reports (where user code
    /// must not run), on the poller thread after what it already has: for the log and
    /// throttle callbacks librdkafka makes while a sender serves.
    func runUserCode(_ call: @escaping @Sendable () -> Void) {
        guard isServingInline else {
            call()
            return
        }
        condition.lock()
        deferred.append(call)
        condition.signal()
        condition.unlock()
    }

    private func hand(_ event: Handoff) {
        condition.lock()
        handoff = event
        condition.signal()
        condition.unlock()
    }

    /// The queue went from empty to non-empty (librdkafka's queue event callback).
    private func wake() {
        hasEvents.store(true, ordering: .sequentiallyConsistent)
        if gate.hasSendersInside { return }
        signalPoller()
    }

    private func signalPoller() {
        wakeups.add(1, ordering: .sequentiallyConsistent)
        // The poller thread marks itself waiting before its last look at `wakeups`: either it
        // sees this wake-up, or this sees it waiting. Only the first to see it waiting
        // signals: until the thread runs again, each send in a row would otherwise take the
        // lock and signal, competing with the woken thread for the lock (see
        // docs/performance-history.md).
        guard pollerWaiting.load(ordering: .sequentiallyConsistent),
              pollerWaiting.exchange(false, ordering: .sequentiallyConsistent) else { return }
        condition.lock()
        condition.signal()
        condition.unlock()
    }

    // MARK: - Poller thread

    /// The thread loop: waits, runs what senders deferred, serves what they handed over, and
    /// does what ``ReportPollerStateMachine`` decides about the queue and handed-back reports.
    private func run() {
        context.enterCallback()
        var seenWakeups: UInt64 = 0
        var policy = ReportPollerStateMachine()
        while true {
            condition.lock()
            pollerWaiting.store(true, ordering: .sequentiallyConsistent)
            if handoff == nil, deferred.isEmpty, !stopRequested, wakeups.load(ordering: .sequentiallyConsistent) == seenWakeups {
                _ = condition.wait(until: Date(timeIntervalSinceNow: policy.wait.seconds))
            }
            pollerWaiting.store(false, ordering: .relaxed)
            seenWakeups = wakeups.load(ordering: .acquiring)
            let handed = handoff
            handoff = nil
            let calls = deferred
            deferred.removeAll()
            let stopping = stopRequested
            condition.unlock()

            for call in calls { call() }
            if let handed {
                // The sender passed the token along with the event.
                serveOnPoller(handed.event, startingWith: handed.report)
                policy.servedHandoff(followedBy: serveAll())
                token.store(false, ordering: .releasing)
            }
            if queue.isEmpty {
                policy.queueIsEmpty()
            } else {
                let preferred = preferPoller.load(ordering: .relaxed)
                switch policy.queueHasEvents(stopping: stopping, preferPoller: preferred, sendersInside: gate.hasSendersInside) {
                case .leaveToSenders:
                    hasEvents.store(true, ordering: .relaxed)
                case .serve:
                    if token.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
                        policy.servedQueue(serveAll(), preferPoller: preferred)
                        token.store(false, ordering: .releasing)
                    } else {
                        policy.tokenWasBusy()
                    }
                }
            }
            if policy.endRound() { preferPoller.store(false, ordering: .relaxed) }
            if policy.handBackIsDue(pending: !delivered.isEmpty, generation: delivered.generation, now: .now) { freeDelivered() }
            if policy.mayExit(stopping: stopping, servedHandoff: handed != nil, ranDeferredCalls: !calls.isEmpty), !hasPendingWork() { break }
        }
        condition.lock()
        exited = true
        condition.broadcast()
        condition.unlock()
    }

    private func hasPendingWork() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return handoff != nil || !deferred.isEmpty
    }

    /// Serves every event in the queue, user code included; only on the poller thread, with
    /// the token held.
    @discardableResult
    private func serveAll() -> Int {
        hasEvents.store(false, ordering: .relaxed)
        var served = 0
        while let event = queue.poll() {
            serveOnPoller(event)
            served += 1
        }
        return served
    }

    /// Handles one event on the poller thread; a delivery report event is handed back for a
    /// sender to free.
    private func serveOnPoller(_ event: NativeEvent, startingWith first: NativeDeliveryReport? = nil) {
        guard event.isDeliveryReport else {
            event.dispatch(client: client, context: context)
            return
        }
        deliver(event, startingWith: first)
        // Wakes senders waiting for room: the first to try again frees the batch, which
        // makes the room.
        receiver.didFinishDeliveryBatch()
    }

    // MARK: - Delivery report events

    /// Handles a delivery report event and destroys it, unless some report needs user code:
    /// then stops there and returns the event, and the report it stopped at, for the poller
    /// thread. Any other event is returned untouched.
    ///
    /// - Parameter mayCarryContexts: false while every record of the producer was sent and
    ///   forgotten: then an event without an error is destroyed without reading its reports,
    ///   since the event's one error is every record's.
    private func serveWithoutUserCode(_ event: NativeEvent, mayCarryContexts: Bool) -> Handoff? {
        guard event.isDeliveryReport else { return Handoff(event: event, report: nil) }
        if !mayCarryContexts, !receiver.reportsEveryDelivery, !event.hasError {
            event.destroy()
            receiver.didFinishDeliveryBatch()
            return nil
        }
        while let report = event.nextReport(client: client, context: context) {
            if !receiver.completeWithoutUserCode(report) { return Handoff(event: event, report: report) }
        }
        event.destroy()
        receiver.didFinishDeliveryBatch()
        return nil
    }

    /// Handles the delivery reports of a delivery report event, `first` (a report already
    /// taken from it and not yet handled) included, and hands the event back (with the
    /// opaques its reports still hold) for a sender to free.
    private func deliver(_ event: NativeEvent, startingWith first: NativeDeliveryReport?) {
        if let first { deliver(first) }
        while let report = event.nextReport(client: client, context: context) {
            deliver(report)
        }
        delivered.push(event, opaques: &deliveredOpaques)
    }

    private func deliver(_ report: NativeDeliveryReport) {
        receiver.didDeliver(report)
        if let opaque = report.opaque { deliveredOpaques.append(opaque) }
    }

    // MARK: - Teardown

    /// Stops the wake-ups and the poller thread, once what it holds has been handled; then
    /// releases the queue. Called once, before `rd_kafka_destroy`, on a thread other than the
    /// poller's. Reports still queued after this are left to `rd_kafka_destroy`.
    func stop() {
        queue.stopWaking()
        condition.lock()
        stopRequested = true
        condition.signal()
        while !exited { condition.wait() }
        condition.unlock()
        freeDelivered()
        context.queueServer = nil
        queue.destroy()
    }
}
