@testable import RdKafka
import Testing

@Suite("ReportPollerStateMachine: when the report thread serves, defers to senders, waits, and frees handed-back reports")
struct ReportPollerStateMachineTests {
    private static let start = ContinuousClock.now

    /// `#expect` for conditions that call a mutating method, which the macro cannot expand.
    private func check(_ condition: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(condition, sourceLocation: sourceLocation)
    }

    @Test("an empty queue, nothing handed back: waits for the backstop")
    func idleWaitsForBackstop() {
        var policy = ReportPollerStateMachine()
        policy.queueIsEmpty()
        #expect(policy.wait == .backstop)
        check(!policy.endRound())
    }

    @Test("a non-empty queue with a sender inside is left to it, at most maximumDeferrals times in a row")
    func defersToSendersThenServes() {
        var policy = ReportPollerStateMachine()
        for _ in 0..<ReportPollerStateMachine.maximumDeferrals {
            check(policy.queueHasEvents(stopping: false, preferPoller: false, sendersInside: true) == .leaveToSenders)
            #expect(policy.wait == .senderGrace)
        }
        check(policy.queueHasEvents(stopping: false, preferPoller: false, sendersInside: true) == .serve)
        policy.servedQueue(3, preferPoller: false)
        #expect(policy.wait == .backstop)
        // Serving resets the count of deferrals.
        check(policy.queueHasEvents(stopping: false, preferPoller: false, sendersInside: true) == .leaveToSenders)
    }

    @Test("an emptied queue resets the deferrals")
    func emptyQueueResetsDeferrals() {
        var policy = ReportPollerStateMachine()
        for _ in 0..<ReportPollerStateMachine.maximumDeferrals {
            _ = policy.queueHasEvents(stopping: false, preferPoller: false, sendersInside: true)
        }
        policy.queueIsEmpty()
        check(policy.queueHasEvents(stopping: false, preferPoller: false, sendersInside: true) == .leaveToSenders)
    }

    @Test("with no sender inside, while stopping, or when senders prefer the poller, the thread serves at once")
    func servesAtOnce() {
        var policy = ReportPollerStateMachine()
        check(policy.queueHasEvents(stopping: false, preferPoller: false, sendersInside: false) == .serve)
        check(policy.queueHasEvents(stopping: true, preferPoller: false, sendersInside: true) == .serve)
        check(policy.queueHasEvents(stopping: false, preferPoller: true, sendersInside: true) == .serve)
    }

    @Test("whether a sender is inside is read only when it decides")
    func sendersInsideReadLazily() {
        var policy = ReportPollerStateMachine()
        var reads = 0
        func inside() -> Bool {
            reads += 1
            return true
        }
        _ = policy.queueHasEvents(stopping: true, preferPoller: false, sendersInside: inside())
        _ = policy.queueHasEvents(stopping: false, preferPoller: true, sendersInside: inside())
        #expect(reads == 0)
        _ = policy.queueHasEvents(stopping: false, preferPoller: false, sendersInside: inside())
        #expect(reads == 1)
    }

    @Test("a busy token leaves the queue waiting: the thread looks again shortly")
    func busyTokenLooksAgainShortly() {
        var policy = ReportPollerStateMachine()
        check(policy.queueHasEvents(stopping: false, preferPoller: false, sendersInside: false) == .serve)
        policy.tokenWasBusy()
        #expect(policy.wait == .senderGrace)
        #expect(!policy.mayExit(stopping: true, servedHandoff: false, ranDeferredCalls: false))
    }

    @Test("the preference for the poller ends after preferenceLength events served while preferred, handed-over ones included")
    func preferenceEnds() {
        var policy = ReportPollerStateMachine()
        policy.servedHandoff(followedBy: 9)
        check(!policy.endRound())
        policy.servedQueue(ReportPollerStateMachine.preferenceLength - 11, preferPoller: true)
        check(!policy.endRound())
        // Events served while senders did not prefer the poller do not count.
        policy.servedQueue(1000, preferPoller: false)
        check(!policy.endRound())
        policy.servedQueue(1, preferPoller: true)
        check(policy.endRound())
        // Counted afresh afterwards.
        check(!policy.endRound())
    }

    @Test("handed-back reports are freed by the thread once no sender took any for handBackLimit")
    func handBackDue() {
        var policy = ReportPollerStateMachine()
        let limit = ReportPollerStateMachine.handBackLimit
        check(!policy.handBackIsDue(pending: true, generation: 1, now: Self.start))
        #expect(policy.wait == .senderGrace)
        check(!policy.handBackIsDue(pending: true, generation: 1, now: Self.start + limit / 2))
        check(policy.handBackIsDue(pending: true, generation: 1, now: Self.start + limit))
        // Freed: the watch starts afresh.
        #expect(policy.wait == .backstop)
        check(!policy.handBackIsDue(pending: true, generation: 1, now: Self.start + limit * 3))
    }

    @Test("a sender taking handed-back reports restarts the watch; none pending stops it")
    func handBackWatchRestarts() {
        var policy = ReportPollerStateMachine()
        let limit = ReportPollerStateMachine.handBackLimit
        check(!policy.handBackIsDue(pending: true, generation: 1, now: Self.start))
        check(!policy.handBackIsDue(pending: true, generation: 2, now: Self.start + limit))
        check(!policy.handBackIsDue(pending: true, generation: 2, now: Self.start + limit + limit / 2))
        check(policy.handBackIsDue(pending: true, generation: 2, now: Self.start + limit * 2))
        check(!policy.handBackIsDue(pending: false, generation: 2, now: Self.start + limit * 5))
        #expect(policy.wait == .backstop)
    }

    @Test("the clock and the generation are read only while reports wait")
    func handBackReadsLazily() {
        var policy = ReportPollerStateMachine()
        var reads = 0
        func generation() -> UInt64 {
            reads += 1
            return 0
        }
        check(!policy.handBackIsDue(pending: false, generation: generation(), now: Self.start))
        #expect(reads == 0)
    }

    @Test("the thread exits only when stopping with nothing handed over, deferred or left waiting")
    func exit() {
        var policy = ReportPollerStateMachine()
        policy.queueIsEmpty()
        #expect(!policy.mayExit(stopping: false, servedHandoff: false, ranDeferredCalls: false))
        #expect(!policy.mayExit(stopping: true, servedHandoff: true, ranDeferredCalls: false))
        #expect(!policy.mayExit(stopping: true, servedHandoff: false, ranDeferredCalls: true))
        #expect(policy.mayExit(stopping: true, servedHandoff: false, ranDeferredCalls: false))
        _ = policy.queueHasEvents(stopping: false, preferPoller: false, sendersInside: true)
        #expect(!policy.mayExit(stopping: true, servedHandoff: false, ranDeferredCalls: false))
    }
}
