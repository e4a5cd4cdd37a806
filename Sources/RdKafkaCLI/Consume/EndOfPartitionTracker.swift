import RdKafka

/// Decides when `consume -e` is done: every assigned partition has been read to its end.
///
/// librdkafka reports each end once, with the end offset, possibly in the same read as the
/// records before it; so a record clears an end only if it lies at or beyond it (it was
/// written after the end was reported).
struct EndOfPartitionTracker {
    private var ends: [TopicPartition: Int64] = [:]

    mutating func reachedEnd(_ partition: TopicPartition, at offset: Int64) {
        ends[partition] = offset
    }

    mutating func received(_ partition: TopicPartition, offset: Int64) {
        if let end = ends[partition], offset >= end { ends[partition] = nil }
    }

    /// Whether reading is done for `assignment`; never with nothing assigned yet.
    func isDone(assignment: [TopicPartition]) -> Bool {
        !assignment.isEmpty && assignment.allSatisfy { ends[$0] != nil }
    }
}
