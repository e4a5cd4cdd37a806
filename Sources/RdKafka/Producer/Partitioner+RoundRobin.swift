/// Java's `RoundRobinPartitioner`: each record without an explicit partition, keyed or not,
/// goes to the next partition of its topic, in turn, so records spread evenly whatever
/// their keys. Partitions with a leader take turns; when none has one, all do.
///
/// Use it through ``Partitioner/roundRobin``. The turn is kept per topic and per
/// partitioner, and shared by the tasks sending through one producer.
public final class RoundRobinPartitioner: RecordPartitioner {
    private let turns = Locked<[String: UInt64]>([:])

    public init() {}

    public func partition(
        topic: String,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        partitions: [ClusterMetadata.Partition]
    ) -> Int32 {
        let turn = turns.withLock { turns in
            let turn = turns[topic, default: 0]
            turns[topic] = turn &+ 1
            return turn
        }
        let available = partitions.filter { $0.leader >= 0 && $0.error == nil }
        let candidates = available.isEmpty ? partitions : available
        return candidates[Int(turn % UInt64(candidates.count))].id
    }
}
