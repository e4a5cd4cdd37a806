import RdKafka
import Synchronization

/// The ``EndOfPartitionTracker`` shared between the consumer's partition-end callback and
/// the reading loop (both run on the reading task, but the callback must be `Sendable`).
final class EndTracking: Sendable {
    private let tracker = Mutex(EndOfPartitionTracker())

    func reachedEnd(_ partition: TopicPartition, at offset: Int64) {
        tracker.withLock { $0.reachedEnd(partition, at: offset) }
    }

    func received(_ partition: TopicPartition, offset: Int64) {
        tracker.withLock { $0.received(partition, offset: offset) }
    }

    func isDone(assignment: [TopicPartition]) -> Bool {
        tracker.withLock { $0.isDone(assignment: assignment) }
    }
}
