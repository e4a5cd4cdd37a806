import Foundation
import RdKafka
import Testing

/// At-least-once consumption through group membership changes, with commit on revoke.
///
/// Group rebalances on the embedded broker take about `session.timeout.ms` − 1 s each (two
/// rounds for cooperative), so each test runs five rebalances in well under 90 s. On an
/// external broker the same tests run against its own group coordinator; only the
/// coordinator-error test needs the embedded cluster's fault injection.
@Suite(
    "Reliability: consumer groups through rebalances and coordinator errors",
    .serialized
)
struct ReliabilityConsumerGroupTests {
    static let partitionCount = 6

    @Test(
        "at least once across five rebalances with commit on revoke; duplicates only of uncommitted records",
        arguments: [ConsumerConfiguration.AssignmentStrategy.roundRobin, .cooperativeSticky]
    )
    func atLeastOnceAcrossRebalances(strategy: ConsumerConfiguration.AssignmentStrategy) async throws {
        try await withKnownBrokerIssue(.cooperativeJoinGroup) { try await atLeastOnceAcrossRebalancesBody(strategy) }
    }

    private func atLeastOnceAcrossRebalancesBody(_ strategy: ConsumerConfiguration.AssignmentStrategy) async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("rebalance", partitions: Self.partitionCount)
        var configuration = cluster.consumerConfiguration(group: "rebalance-\(UUID().uuidString.prefix(8))")
        configuration.assignmentStrategies = [strategy]
        let ledger = CommitLedger()
        let load = ContinuousLoad(cluster: cluster, topic: topic, partitions: Self.partitionCount)

        let churn = GroupChurn(
            topic: topic, partitions: Self.partitionCount, configuration: configuration, settleTimeout: .seconds(40), recordsAfterChange: 50
        ) { configuration in
            try LedgerMember(
                cluster: cluster, configuration: configuration, topic: topic, ledger: ledger,
                commitsWhileReading: strategy != .cooperativeSticky
            )
        }
        let produced: Int
        do {
            try await churn.join("a")
            try await churn.join("b")           // rebalance 1
            try await churn.join("c")           // rebalance 2
            try await churn.leave("b")          // rebalance 3
            try await churn.join("d")           // rebalance 4
            try await churn.leave("a")          // rebalance 5
            produced = try await load.stop()
            try await churn.finish(produced: produced, timeout: .seconds(20))
        } catch {
            await churn.closeAll()
            _ = try? await load.stop()
            throw error
        }
        let all = churn.members

        // Every record processed at least once.
        let records = all.flatMap(\.records)
        let values = Set(records.map(\.value))
        #expect(values.count == produced, "\(produced - values.count) records never processed")
        // A record is processed twice only if its offset was not committed when its partition
        // moved: each member's first record of a partition it was given is at or after the
        // offset the group had committed (and the ledger had seen acknowledged) by then.
        let starts = all.flatMap(\.listener.stints).filter { $0.first != nil }
        let early = starts.filter { $0.first! < $0.committedAtAssignment }
        #expect(early.isEmpty, "members re-read records committed before they were given the partition: \(early.prefix(10))")
        // The revoke commit covers exactly the records the member's loop returned.
        let mismatches = all.flatMap(\.listener.positionMismatches)
        #expect(mismatches.isEmpty, "position at revocation is not the record after the last one returned: \(mismatches.prefix(10))")
        var counts: [Position: Int] = [:]
        for record in records { counts[Position(partition: record.partition, offset: record.offset), default: 0] += 1 }
        let duplicates = counts.filter { $0.value > 1 }.map(\.key)
        // What the re-reads followed: for each stint read from, did an earlier stint of the
        // same partition read past where it started, and how did that one end?
        var rereadAfter: [String: Int] = [:]
        for (index, stint) in starts.enumerated() {
            for (otherIndex, other) in starts.enumerated() where otherIndex != index && other.partition == stint.partition {
                // `other` read first (ties go to the earlier in the list) and past where `stint` began.
                let readFirst = other.first! < stint.first! || (other.first! == stint.first! && otherIndex < index)
                if readFirst && other.last! >= stint.first! { rereadAfter[other.ending?.rawValue ?? "open", default: 0] += 1 }
            }
        }
        let revocations = ledger.revocations
        #expect(revocations >= 5, "partitions were revoked at least five times (\(revocations))")
        print("\(strategy): \(produced) records, \(starts.count) partition assignments read from, \(revocations) revocations, \(ledger.failedCommits) failed commits on revoke, \(duplicates.count) duplicates; re-reads after stints that ended \(rereadAfter)")
    }
    @Test("close commits on revoke only what was returned: a closed member's successor resumes at its next record")
    func closeCommitsOnlyReturnedRecords() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("close-commit", partitions: 1)
        try await cluster.produce(topic: topic, count: 200)
        let configuration = cluster.consumerConfiguration(group: "close-commit-\(UUID().uuidString.prefix(8))")
        let ledger = CommitLedger()

        let first = try cluster.stringConsumer(configuration)
        try first.subscribe(topics: [topic], listener: LedgerListener(ledger: ledger))
        let read = try await readRecords(first, count: 3)
        #expect(read.map(\.offset) == [0, 1, 2])
        await first.close()

        let second = try cluster.stringConsumer(configuration)
        try second.subscribe(topics: [topic])
        let next = try await readRecords(second, count: 1)
        await second.close()
        #expect(next.first?.offset == 3, "the successor starts after the last record returned, not after records read ahead")
    }
    @Test("NOT_COORDINATOR and COORDINATOR_LOAD_IN_PROGRESS on JoinGroup and OffsetCommit, and a coordinator move: reading and commits continue")
    func coordinatorErrors() async throws {
        let cluster = try TestCluster.make(brokers: 3)
        let embedded = try cluster.requireEmbedded()
        let topic = try cluster.createTopic("coordinator", partitions: 3, replicationFactor: 3)
        try await cluster.produce(topic: topic, count: 300, partitions: 3)
        let group = "coordinator-\(UUID().uuidString.prefix(8))"
        try embedded.setGroupCoordinator(group, broker: 1)
        try embedded.pushRequestErrors(.joinGroup, [.notCoordinator, .coordinatorLoadInProgress, .coordinatorLoadInProgress])
        try embedded.pushRequestErrors(.offsetCommit, [.notCoordinator, .coordinatorLoadInProgress])

        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration(group: group))
        try consumer.subscribe(topics: [topic])
        var commitErrors: [KafkaError] = []
        /// Commits what was read, retrying retriable failures as an application would.
        func commitUntilAccepted() async throws {
            try await eventually(timeout: .seconds(20), "a commit accepted") {
                do throws(KafkaError) {
                    try await consumer.commit()
                    return true
                } catch {
                    commitErrors.append(error)
                    return !error.isRetriable
                }
            }
        }

        var records = try await readRecords(consumer, count: 150)
        try await commitUntilAccepted()
        // The coordinator moves to another broker, which is still loading.
        try embedded.setGroupCoordinator(group, broker: 2)
        try embedded.pushRequestErrors(.offsetCommit, [.coordinatorLoadInProgress, .notCoordinator])
        records += try await readRecords(consumer, count: 150)
        try await commitUntilAccepted()

        let assigned = (0..<3).map { TopicPartition(topic: topic, partition: Int32($0)) }
        let committed = try consumer.committed(assigned)
        await consumer.close()

        #expect(Set(records.map(\.value)).count == 300, "every record read once")
        #expect(assigned.map { committed[$0] } == [100, 100, 100], "the final commit reached the new coordinator: \(committed)")
        #expect(commitErrors.allSatisfy { $0.isRetriable }, "commit failures were retriable: \(commitErrors.map(\.code))")
        print("coordinator errors: \(commitErrors.count) retriable commit failures: \(commitErrors.map(\.code))")
    }
}

/// A record position, for counting how often each was processed.
struct Position: Hashable, Sendable, CustomStringConvertible {
    let partition: Int32
    let offset: Int64
    var description: String { "\(partition)@\(offset)" }
}

/// A group member reading with the async sequence in its own task.
final class LedgerMember: ChurnMember {
    let consumer: KafkaConsumer<String, String>
    let listener: LedgerListener
    private let seen = Guarded<[ConsumerRecord<String, String>]>([])
    private let task = Guarded<Task<Void, Never>?>(nil)

    /// - Parameter commitsWhileReading: also commit every 100 records, as applications do.
    ///   Eager members give up all their partitions before they rejoin, so while they wait
    ///   for the new generation they have nothing to commit. A cooperative member keeps reading while it rejoins, and librdkafka
    ///   2.0.2 mishandles a commit it sends then (confluentinc/librdkafka#4059, fixed after
    ///   2.0.2): the coordinator answers it ILLEGAL_GENERATION once the new generation is
    ///   formed, the answer resets the generation the member has just joined, its SyncGroup
    ///   fails and its partitions are lost; under continuous load that repeats every round
    ///   and the group may never settle.
    init(
        cluster: TestCluster,
        configuration: ConsumerConfiguration,
        topic: String,
        ledger: CommitLedger,
        commitsWhileReading: Bool = true
    ) throws {
        consumer = try cluster.stringConsumer(configuration)
        listener = LedgerListener(ledger: ledger)
        try consumer.subscribe(topics: [topic], listener: listener)
        let consumer = self.consumer
        task.withLock {
            $0 = Task { [seen, ledger, listener] in
                do {
                    var sinceCommit = 0
                    for try await record in consumer.records {
                        seen.withLock { $0.append(record) }
                        listener.didRead(TopicPartition(topic: record.topic, partition: record.partition), offset: record.offset)
                        sinceCommit += 1
                        // Commit as processing goes too, as applications do; during a
                        // rebalance the broker refuses (the revoke commit covers it).
                        if commitsWhileReading && sinceCommit == 100 {
                            sinceCommit = 0
                            consumer.commitAsync { result in
                                if case .success(let offsets) = result { ledger.committed(offsets) }
                            }
                        }
                    }
                } catch {
                    Issue.record("member read failed: \(error)")
                }
            }
        }
    }

    var records: [ConsumerRecord<String, String>] { seen.withLock { $0 } }
    var recordCount: Int { seen.withLock { $0.count } }
    var assigned: Set<TopicPartition> { listener.assigned }

    func close() async {
        listener.willClose()
        await consumer.close()
        await task.withLock { $0 }?.value
    }
}

/// A producer sending small bursts of records (`v<i>`) until stopped: the load the group
/// reads while it rebalances. The pause between bursts sets the rate; nothing waits on it.
final class ContinuousLoad: Sendable {
    private let stopping = Guarded(false)
    private let task: Task<Int, any Error>

    init(cluster: TestCluster, topic: String, partitions: Int) {
        let stopping = self.stopping
        task = Task {
            let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .string)
            var sent = 0
            while !stopping.withLock({ $0 }) {
                var pending: [PendingDelivery] = []
                for _ in 0..<60 {
                    pending.append(try await producer.enqueue(ProducerRecord(
                        topic: topic, partition: Int32(sent % partitions), key: "k\(sent)", value: "v\(sent)"
                    )))
                    sent += 1
                }
                for delivery in pending { _ = try await delivery.metadata }
                try await Task.sleep(for: .milliseconds(50))
            }
            await producer.close()
            return sent
        }
    }

    /// Stops sending and returns how many records were sent (all acknowledged).
    func stop() async throws -> Int {
        stopping.withLock { $0 = true }
        return try await task.value
    }
}
