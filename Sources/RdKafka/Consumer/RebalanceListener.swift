/// Told when the group gives this consumer partitions or takes them away.
///
/// The methods run synchronously on the task that is reading records (inside
/// ``KafkaConsumer/poll(timeout:)``, ``KafkaConsumer/poll(maxRecords:timeout:)``, the
/// ``KafkaConsumer/records`` sequence, or ``KafkaConsumer/close(timeout:)``):
///
/// - ``onPartitionsRevoked(_:consumer:)`` runs *before* the partitions are given up, so
///   committing what you processed there is the at-least-once recipe. The commit can be
///   refused with `rebalanceInProgress` when another member's rejoin races it; nothing is
///   lost then, and the next owner reads again what was processed since the last commit.
/// - ``onPartitionsAssigned(_:consumer:)`` runs just before the partitions are assigned;
///   a seek or pause of them made here is applied with the assignment, so reading starts
///   where you said.
/// - ``onPartitionsLost(_:consumer:)`` runs when the partitions are already gone (the
///   session expired): committing is pointless; by default it calls `onPartitionsRevoked`.
///
/// With an eager strategy (range, roundrobin) every rebalance revokes the whole assignment
/// and assigns the new one. With cooperative-sticky, only the partitions that move are
/// revoked, and the lists contain just the increment.
///
/// A listener that throws is logged; the rebalance still completes.
public protocol RebalanceListener: Sendable {
    func onPartitionsAssigned(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws
    func onPartitionsRevoked(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws
    func onPartitionsLost(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws
}

extension RebalanceListener {
    public func onPartitionsAssigned(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {}
    public func onPartitionsRevoked(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {}
    public func onPartitionsLost(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        try onPartitionsRevoked(partitions, consumer: consumer)
    }
}

/// The calls a ``RebalanceListener`` may make on the consumer being rebalanced.
///
/// ``KafkaConsumer`` conforms; the listener receives it through this protocol because the
/// calls do not depend on the consumer's key and value types. The listener runs
/// synchronously, so its commits are the blocking ones.
public protocol ConsumerControl: Sendable {
    func commitSync() throws(KafkaError)
    func commitSync(_ offsets: [TopicPartitionOffset]) throws(KafkaError)
    func seek(_ partition: TopicPartition, to offset: Int64) throws(KafkaError)
    func seekToBeginning(_ partitions: [TopicPartition]) throws(KafkaError)
    func seekToEnd(_ partitions: [TopicPartition]) throws(KafkaError)
    func pause(_ partitions: [TopicPartition]) throws(KafkaError)
    func resume(_ partitions: [TopicPartition]) throws(KafkaError)
    func position(_ partition: TopicPartition) throws(KafkaError) -> Int64?
    func assignment() throws(KafkaError) -> [TopicPartition]
    func committed(_ partitions: [TopicPartition], timeout: Duration) throws(KafkaError) -> [TopicPartition: Int64]
}
