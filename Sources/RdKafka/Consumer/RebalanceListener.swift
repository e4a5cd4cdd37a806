/// Told when the group gives this consumer partitions or takes them away.
///
/// The methods run synchronously on the task that is reading records (inside
/// ``KafkaConsumer/poll(timeout:)``, ``KafkaConsumer/poll(maxRecords:timeout:)``, the
/// ``KafkaConsumer/records`` sequence, or ``KafkaConsumer/close()``):
///
/// - ``onPartitionsRevoked(_:consumer:)`` runs *before* the partitions are given up, so
///   committing what you processed there is safe and is the at-least-once recipe.
/// - ``onPartitionsAssigned(_:consumer:)`` runs *after* the partitions are assigned, so
///   you may seek or pause in them.
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
/// calls do not depend on the consumer's key and value types.
public protocol ConsumerControl: Sendable {
    func commit() throws(KafkaError)
    func commit(_ offsets: [TopicPartitionOffset]) throws(KafkaError)
    func seek(_ partition: TopicPartition, to offset: Int64) throws(KafkaError)
    func seekToBeginning(_ partitions: [TopicPartition]) throws(KafkaError)
    func seekToEnd(_ partitions: [TopicPartition]) throws(KafkaError)
    func pause(_ partitions: [TopicPartition]) throws(KafkaError)
    func resume(_ partitions: [TopicPartition]) throws(KafkaError)
    func position(_ partition: TopicPartition) throws(KafkaError) -> Int64?
    func assignment() throws(KafkaError) -> [TopicPartition]
    func committed(_ partitions: [TopicPartition], timeout: Duration) throws(KafkaError) -> [TopicPartition: Int64]
}

/// Connects librdkafka's rebalance callback to the consumer's current listener.
///
/// It holds the consumer weakly: when the last reference to the consumer goes away,
/// librdkafka's own close still revokes the partitions, but no listener is called.
final class ConsumerRebalanceHandler: NativeRebalanceHandler {
    private struct State {
        weak var consumer: (AnyObject & ConsumerControl)?
        var listener: (any RebalanceListener)?
    }

    private let state = NativeLockedValue(State())
    private let events: ConsumerEventReceiver

    init(events: ConsumerEventReceiver) {
        self.events = events
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

    func partitionsAssigned(_ partitions: [TopicPartition]) {
        events.log(.debug, "partitions assigned", partitions)
        guard let (listener, consumer) = current() else { return }
        run("onPartitionsAssigned", partitions) { try listener.onPartitionsAssigned(partitions, consumer: consumer) }
    }

    func partitionsRevoked(_ partitions: [TopicPartition], lost: Bool) {
        events.log(.debug, lost ? "partitions lost" : "partitions revoked", partitions)
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
