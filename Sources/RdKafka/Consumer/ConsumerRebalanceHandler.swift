/// Connects librdkafka's rebalance callback to the consumer's current listener.
///
/// It holds the consumer weakly: when the last reference to the consumer goes away,
/// librdkafka's own close still revokes the partitions, but no listener is called.
final class ConsumerRebalanceHandler: NativeRebalanceHandler {
    private struct State {
        weak var consumer: (AnyObject & ConsumerControl)?
        var listener: (any RebalanceListener)?
        /// While `onPartitionsAssigned` runs: the partitions being assigned, and what the
        /// listener asked for them (seeks and pauses apply with the assignment).
        var pending: Set<TopicPartition>?
        var adjustments = NativeAssignmentAdjustments()
    }

    private let state = NativeLockedValue(State())
    private let commits = NativeLockedValue(CommitGate<HeldCommit>())
    private let events: ConsumerEventReceiver
    /// Shared with the reader, which holds back their records.
    private let paused: PausedPartitions

    init(events: ConsumerEventReceiver, paused: PausedPartitions) {
        self.events = events
        self.paused = paused
    }

    func attach(_ consumer: AnyObject & ConsumerControl) {
        state.withLock { $0.consumer = consumer }
    }

    func setListener(_ listener: (any RebalanceListener)?) {
        state.withLock { $0.listener = listener }
    }

    private func current() -> ((any RebalanceListener), any ConsumerControl)? {
        state.withLock { state in
            guard let listener = state.listener, let consumer = state.consumer else { return nil }
            return (listener, consumer)
        }
    }

    // MARK: Commits during rebalances

    /// Whether a commit may be sent now (see ``CommitGate``); a held one is sent or failed
    /// by a later rebalance step, on the thread that runs it.
    func admitCommit(_ commit: HeldCommit, canWait: Bool) -> CommitGate<HeldCommit>.Admission {
        commits.withLock { $0.admit(commit, canWait: canWait) }
    }

    /// Whether a commit whose caller waits for its answer may be sent now.
    var admitsWaitingCommit: Bool {
        commits.withLock { $0.admitsWaitingCommit }
    }

    /// The member left its subscription (see ``CommitGate/unsubscribed()``).
    func unsubscribed() {
        perform(commits.withLock { $0.unsubscribed() })
    }

    /// Fails the held commits: the consumer is closing.
    func closeCommits() {
        perform(commits.withLock { $0.close() })
    }

    func groupJoinSent() {
        commits.withLock { $0.joinSent() }
    }

    func rebalanceApplied(assigned: Bool) {
        if assigned {
            perform(commits.withLock { $0.assignmentFinished() })
        } else {
            commits.withLock { $0.revocationFinished() }
        }
    }

    private func perform(_ release: CommitGate<HeldCommit>.Release) {
        guard !release.requests.isEmpty else { return }
        events.logger.debug("commits held during the rebalance", metadata: ["count": "\(release.requests.count)"])
        switch release {
        case .send(let held):
            for commit in held { commit.send() }
        case .fail(let held):
            for commit in held { commit.fail(KafkaError(code: .assignmentLost, message: "commit not sent: the partitions were lost or the consumer closed while the group rebalanced")) }
        }
    }

    // MARK: Listener

    func partitionsAssigned(_ partitions: [TopicPartition]) -> NativeAssignmentAdjustments {
        events.log(.debug, "partitions assigned", partitions)
        commits.withLock { $0.assignmentStarted() }
        guard let (listener, consumer) = current() else { return NativeAssignmentAdjustments() }
        state.withLock {
            $0.pending = Set(partitions)
            $0.adjustments = NativeAssignmentAdjustments()
        }
        run("onPartitionsAssigned", partitions) { try listener.onPartitionsAssigned(partitions, consumer: consumer) }
        return state.withLock { state in
            state.pending = nil
            defer { state.adjustments = NativeAssignmentAdjustments() }
            return state.adjustments
        }
    }

    /// Records a seek on partitions that are being assigned right now, which librdkafka
    /// could not perform yet; returns false when the partitions are not all pending.
    func interceptSeek(_ offsets: [TopicPartitionOffset]) -> Bool {
        state.withLock { state in
            guard let pending = state.pending, offsets.allSatisfy({ pending.contains($0.topicPartition) }) else { return false }
            for offset in offsets { state.adjustments.startOffsets[offset.topicPartition] = offset.offset }
            return true
        }
    }

    /// Records a pause or resume of partitions being assigned right now.
    func interceptPause(_ partitions: [TopicPartition], paused: Bool) -> Bool {
        state.withLock { state in
            guard let pending = state.pending, partitions.allSatisfy({ pending.contains($0) }) else { return false }
            let moved = Set(partitions)
            state.adjustments.paused.removeAll { moved.contains($0) }
            if paused { state.adjustments.paused += partitions }
            self.paused.note(partitions, paused: paused)
            return true
        }
    }

    func partitionsRevoked(_ partitions: [TopicPartition], lost: Bool) {
        events.log(.debug, lost ? "partitions lost" : "partitions revoked", partitions)
        paused.forget(partitions)
        // Before the listener, so that its own commit follows the held ones.
        perform(commits.withLock { $0.revocationStarted(lost: lost) })
        guard let (listener, consumer) = current() else { return }
        if lost {
            run("onPartitionsLost", partitions) { try listener.onPartitionsLost(partitions, consumer: consumer) }
        } else {
            run("onPartitionsRevoked", partitions) { try listener.onPartitionsRevoked(partitions, consumer: consumer) }
        }
    }

    func rebalanceFailed(_ error: KafkaError) {
        events.didReceive(error: error)
    }

    private func run(_ method: String, _ partitions: [TopicPartition], _ body: () throws -> Void) {
        do {
            try body()
        } catch {
            events.logger.error(
                "rebalance listener threw; the rebalance continues",
                metadata: ["method": "\(method)", "partitions": "\(partitions)", "error": "\(error)"]
            )
        }
    }
}

/// A commit the ``CommitGate`` held back: how to send it once the member's assignment is
/// stable, and how to fail it when it can no longer be sent.
struct HeldCommit: Sendable {
    let send: @Sendable () -> Void
    let fail: @Sendable (KafkaError) -> Void
}
