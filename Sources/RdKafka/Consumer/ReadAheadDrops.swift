/// Which records read ahead by the async sequence must be dropped because the application
/// changed where their partitions read: requested from any task (seek, pause, assignment
/// changes), applied by the one reader, which owns the buffer.
///
/// A request names the read (its generation) whose buffer it concerns: the buffer the
/// requester saw. A request that arrives while a new read is under way — from another task,
/// or from a rebalance listener running inside that read — concerns the buffer that read
/// replaced, which was drained before the read began, so it drops nothing. Otherwise the
/// reader would drop records fetched after the change (from the seeked-to offset), which
/// nothing would read again.
struct ReadAheadDrops: Sendable {
    /// What to drop.
    enum Scope: Equatable, Sendable {
        /// Every record read ahead (a new assignment, an unsubscribe).
        case all
        /// The records of these partitions (a seek, an incremental assignment change).
        case partitions(Set<TopicPartition>)
        /// The records of these paused partitions, which must then be seeked back to their
        /// first dropped record: librdkafka resumes a paused partition after the last record
        /// it handed over.
        case paused(Set<TopicPartition>)
    }

    private var requests: [(scope: Scope, generation: UInt64)] = []

    /// Whether a request waits for the reader.
    var isEmpty: Bool { requests.isEmpty }

    /// Records a drop of `scope`, concerning the buffer of read `generation`.
    mutating func request(_ scope: Scope, generation: UInt64) {
        requests.append((scope, generation))
    }

    /// The scopes to apply to the buffer of read `generation`, in request order; forgets
    /// every request (those about older buffers concern records already gone).
    mutating func take(forGeneration generation: UInt64) -> [Scope] {
        defer { requests.removeAll() }
        return requests.filter { $0.generation == generation }.map(\.scope)
    }
}
