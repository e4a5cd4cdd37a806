import Foundation
import RdKafka
import Testing

/// At-least-once consumption through group membership changes, with commit on revoke.
///
/// Group rebalances on the embedded broker take about `session.timeout.ms` − 1 s each (two
/// rounds for cooperative), so each test runs five rebalances in well under 90 s.
@Suite(
    "Reliability: consumer groups through rebalances and coordinator errors",
    .serialized,
    .enabled(if: !TestCluster.isReal, "needs the embedded cluster's fault injection and group timings")
)
struct ReliabilityConsumerGroupTests {
    static let partitionCount = 6

    @Test(
        "at least once across five rebalances with commit on revoke; duplicates only of uncommitted records",
        arguments: [ConsumerConfiguration.AssignmentStrategy.roundRobin, .cooperativeSticky]
    )
    func atLeastOnceAcrossRebalances(strategy: ConsumerConfiguration.AssignmentStrategy) async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("rebalance", partitions: Self.partitionCount)
        var configuration = cluster.consumerConfiguration(group: "rebalance-\(UUID().uuidString.prefix(8))")
        configuration.assignmentStrategies = [strategy]
        let ledger = CommitLedger()
        let load = ContinuousLoad(cluster: cluster, topic: topic, partitions: Self.partitionCount)

        var live: [String: LedgerMember] = [:]
        var all: [LedgerMember] = []
        func join(_ name: String) throws {
            let member = try LedgerMember(cluster: cluster, configuration: configuration, topic: topic, ledger: ledger)
            live[name] = member
            all.append(member)
        }
        func leave(_ name: String) async {
            await live.removeValue(forKey: name)?.close()
        }
        func settled(_ what: String) async throws {
            let members = Array(live.values)
            try await eventually(timeout: .seconds(40), "the group settled after \(what)") {
                let sets = members.map(\.assigned)
                let union = sets.reduce(into: Set<TopicPartition>()) { $0.formUnion($1) }
                return union == partitions(of: topic, Self.partitionCount)
                    && sets.allSatisfy { !$0.isEmpty }
                    && sets.reduce(0) { $0 + $1.count } == Self.partitionCount
            }
            // Records keep flowing to the new owners before the next change.
            let seen = all.reduce(0) { $0 + $1.recordCount }
            try await eventually(timeout: .seconds(10), "records read after \(what)") {
                all.reduce(0) { $0 + $1.recordCount } > seen + 50
            }
        }

        try join("a")
        try await settled("a joined")
        try join("b")
        try await settled("b joined")          // rebalance 1
        try join("c")
        try await settled("c joined")          // rebalance 2
        await leave("b")
        try await settled("b left")            // rebalance 3
        try join("d")
        try await settled("d joined")          // rebalance 4
        await leave("a")
        try await settled("a left")            // rebalance 5

        let produced = try await load.stop()
        try await eventually(timeout: .seconds(20), "every produced record read") {
            Set(all.flatMap { $0.records.map(\.value) }).count >= produced
        }
        for member in live.values { await member.close() }

        // Every record processed at least once.
        let records = all.flatMap(\.records)
        let values = Set(records.map(\.value))
        #expect(values.count == produced, "\(produced - values.count) records never processed")
        // A record is processed twice only if its offset was not committed when its partition moved.
        var counts: [Position: Int] = [:]
        for record in records { counts[Position(partition: record.partition, offset: record.offset), default: 0] += 1 }
        let duplicates = counts.filter { $0.value > 1 }.map(\.key)
        let unexplained = duplicates.filter { !ledger.wasUncommitted($0) }
        #expect(unexplained.isEmpty, "duplicates of committed records: \(unexplained.prefix(10))")
        let revocations = ledger.revocations
        #expect(revocations >= 5, "partitions were revoked at least five times (\(revocations))")
        print("\(strategy): \(produced) records, \(revocations) revocations, \(ledger.failedCommits) failed commits on revoke, \(duplicates.count) duplicates")
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

/// What the group committed on revocation, shared by all members: the offsets committed,
/// and the ranges a failed commit left uncommitted (those may legitimately be read twice).
final class CommitLedger: Sendable {
    private struct State {
        var committed: [Int32: Int64] = [:]
        var uncommitted: [Int32: [Range<Int64>]] = [:]
        var revocations = 0
        var failedCommits = 0
    }
    private let state = Guarded(State())

    func revoked(_ positions: [TopicPartitionOffset], committed: Bool) {
        state.withLock { state in
            state.revocations += 1
            if !committed { state.failedCommits += 1 }
            for position in positions {
                let start = state.committed[position.partition] ?? 0
                if committed {
                    state.committed[position.partition] = max(start, position.offset)
                } else if position.offset > start {
                    state.uncommitted[position.partition, default: []].append(start..<position.offset)
                }
            }
        }
    }

    func committed(_ positions: [TopicPartitionOffset]) {
        state.withLock { state in
            for position in positions where position.offset >= 0 {
                state.committed[position.partition] = max(state.committed[position.partition] ?? 0, position.offset)
            }
        }
    }

    func wasUncommitted(_ position: Position) -> Bool {
        state.withLock { $0.uncommitted[position.partition, default: []].contains { $0.contains(position.offset) } }
    }

    var revocations: Int { state.withLock { $0.revocations } }
    var failedCommits: Int { state.withLock { $0.failedCommits } }
}

/// Commits the revoked partitions' positions (the next offset to process) and tells the ledger.
final class LedgerListener: RebalanceListener {
    let ledger: CommitLedger
    private let current = Guarded<Set<TopicPartition>>([])

    init(ledger: CommitLedger) { self.ledger = ledger }

    var assigned: Set<TopicPartition> { current.withLock { $0 } }

    func onPartitionsAssigned(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        current.withLock { $0.formUnion(partitions) }
    }

    func onPartitionsRevoked(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        defer { current.withLock { $0.subtract(partitions) } }
        var positions: [TopicPartitionOffset] = []
        for partition in partitions {
            if let offset = try? consumer.position(partition) {
                positions.append(TopicPartitionOffset(partition, offset: offset))
            }
        }
        do {
            try consumer.commit(positions)
            ledger.revoked(positions, committed: true)
        } catch {
            ledger.revoked(positions, committed: false)
            throw error
        }
    }
}

/// A group member reading with the async sequence in its own task.
final class LedgerMember: Sendable {
    let consumer: KafkaConsumer<String, String>
    let listener: LedgerListener
    private let seen = Guarded<[ConsumerRecord<String, String>]>([])
    private let task = Guarded<Task<Void, Never>?>(nil)

    init(cluster: TestCluster, configuration: ConsumerConfiguration, topic: String, ledger: CommitLedger) throws {
        consumer = try cluster.stringConsumer(configuration)
        listener = LedgerListener(ledger: ledger)
        try consumer.subscribe(topics: [topic], listener: listener)
        let consumer = self.consumer
        task.withLock {
            $0 = Task { [seen, ledger] in
                do {
                    var sinceCommit = 0
                    for try await record in consumer.records {
                        seen.withLock { $0.append(record) }
                        sinceCommit += 1
                        // Commit as processing goes too, as applications do; during a
                        // rebalance the broker refuses (the revoke commit covers it).
                        if sinceCommit == 100 {
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
