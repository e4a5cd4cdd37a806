import Synchronization

/// The partitions the application paused and has not resumed: what ``KafkaConsumer/paused()``
/// answers, and what the read path holds back.
///
/// The library keeps its own record because librdkafka's is not reliable enough to promise
/// Java's contract (no record of a paused partition is returned): librdkafka 2.0.2 can
/// discard a pause made right after an assignment without a word (docs/reliability.md).
/// The reader checks every batch it takes against this set, so whatever librdkafka did,
/// a record of a paused partition is dropped, the partition paused again and rewound to
/// that record (see ``ConsumerReader``).
///
/// A partition leaves the set when resumed or when it leaves the assignment (revoked, lost,
/// or replaced by `assign`), as Java forgets it.
final class PausedPartitions: Sendable {
    private let partitions = Locked(Set<TopicPartition>())
    /// Whether the set may be non-empty: read once per batch, without the lock.
    private let hasAny = Atomic<Bool>(false)

    /// Whether any partition is paused: one relaxed load, for the read path.
    var isEmpty: Bool { !hasAny.load(ordering: .relaxed) }

    /// Records a pause (`paused`) or resume of `changed`, which librdkafka was told of already
    /// or is told of with the assignment.
    func note(_ changed: some Sequence<TopicPartition>, paused: Bool) {
        update { paused ? $0.formUnion(changed) : $0.subtract(changed) }
    }

    /// Pauses (`paused`) or resumes `changed` with `apply`, which tells librdkafka, and
    /// records it if `apply` succeeds. No ``whileUnchanged(_:)`` runs meanwhile: a reader
    /// pausing a partition again must not undo a resume.
    func change(_ changed: [TopicPartition], paused: Bool, apply: () throws(KafkaError) -> Void) throws(KafkaError) {
        var failure: KafkaError?
        partitions.withLock { set in
            do throws(KafkaError) {
                try apply()
            } catch {
                failure = error
                return
            }
            if paused { set.formUnion(changed) } else { set.subtract(changed) }
            hasAny.store(!set.isEmpty, ordering: .relaxed)
        }
        if let failure { throw failure }
    }

    /// Runs `body` with the paused partitions while no ``change(_:paused:apply:)`` can run.
    func whileUnchanged<Result>(_ body: (Set<TopicPartition>) -> Result) -> Result {
        partitions.withLock { body($0) }
    }

    /// Forgets `partitions`: they left the assignment.
    func forget(_ removed: some Sequence<TopicPartition>) {
        update { $0.subtract(removed) }
    }

    /// Keeps only the partitions in `assignment`: it replaced the previous one.
    func keep(only assignment: Set<TopicPartition>) {
        update { $0.formIntersection(assignment) }
    }

    /// The paused partitions.
    var all: Set<TopicPartition> {
        partitions.withLock { $0 }
    }

    /// The paused partitions among `assigned`.
    func among(_ assigned: [TopicPartition]) -> Set<TopicPartition> {
        partitions.withLock { $0.intersection(assigned) }
    }

    private func update(_ change: (inout Set<TopicPartition>) -> Void) {
        partitions.withLock { set in
            change(&set)
            // Under the lock, so the flag never disagrees with the set once both settle.
            hasAny.store(!set.isEmpty, ordering: .relaxed)
        }
    }
}
