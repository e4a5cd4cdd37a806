import Foundation
import RdKafka
import Testing

/// Periodic commits by cooperative-sticky members while the group changes
/// (confluentinc/librdkafka#4059 in librdkafka 2.0.2): a commit that leaves after a
/// member's JoinGroup carries the old generation, is answered ILLEGAL_GENERATION, and
/// librdkafka then loses the member's partitions. The consumer holds such commits (see
/// `CommitGate`); these tests show what that leaves: nothing lost, and every record read
/// twice was one its first reader had not had acknowledged as committed.
@Suite("Reliability: periodic commits through cooperative rebalances", .serialized)
struct CooperativeCommitTests {
    static let partitionCount = 6
    /// Each member commits after this many records: the uncommitted window.
    static let commitInterval = 50

    enum CommitStyle: String, CaseIterable, Sendable {
        /// `commitAsync()` of the records returned so far, as auto-commit-like code does.
        case async
        /// `try await commit(offsets)` in the reading loop, retrying on the next interval
        /// after a retriable refusal.
        case awaiting
    }

    @Test("at least once with periodic commits while members join and leave; re-reads only of unacknowledged records", arguments: CommitStyle.allCases)
    func periodicCommits(style: CommitStyle) async throws {
        // On noida-db only the group not settling is its JoinGroup departure: every other
        // assertion (no record lost above all) holds there as well.
        try await withKnownBrokerIssue(.cooperativeJoinGroup) {
            // On the embedded broker under load (ThreadSanitizer, deadlines tripled), its
            // SyncGroup race keeps a cooperative group rebalancing: a follower answering
            // after the leader is refused and rejoins, and the group rebalances again
            // (docs/testing.md, "What it does not do").
            try await withKnownIssue(
                "librdkafka 2.0.2's mock refuses a follower's SyncGroup that arrives after the leader's, and the cooperative group rebalances again; under load it may not settle within the deadline",
                isIntermittent: true
            ) {
                try await periodicCommitsBody(style)
            } when: {
                !TestCluster.isReal
            } matching: { issue in
                Self.isGroupNotSettled(issue)
            }
        } matching: { issue in
            Self.isGroupNotSettled(issue)
        }
    }

    /// The group did not settle after a membership change, or no records flowed after it
    /// (librdkafka pauses a member's fetchers while a cooperative rebalance is under way).
    static func isGroupNotSettled(_ issue: Issue) -> Bool {
        guard let timeout = (issue.error as? TimeoutError)?.description else { return false }
        return timeout.contains("the group settled") || timeout.contains("records read after")
    }

    private func periodicCommitsBody(_ style: CommitStyle) async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("coop-commit", partitions: Self.partitionCount)
        var configuration = cluster.consumerConfiguration(group: "coop-commit-\(UUID().uuidString.prefix(8))")
        configuration.assignmentStrategies = [.cooperativeSticky]
        let ledger = CommitLedger()
        let load = ContinuousLoad(cluster: cluster, topic: topic, partitions: Self.partitionCount)

        let churn = GroupChurn(
            topic: topic, partitions: Self.partitionCount, configuration: configuration,
            settleTimeout: .seconds(60), recordsAfterChange: 4 * Self.commitInterval
        ) { configuration in
            try PeriodicCommitter(cluster: cluster, configuration: configuration, topic: topic, ledger: ledger, style: style)
        }
        let produced: Int
        do {
            try await churn.join("a")
            try await churn.join("b")           // rebalance 1: a gives partitions to b
            try await churn.join("c")           // rebalance 2
            try await churn.leave("b")          // rebalance 3
            try await churn.join("d")           // rebalance 4
            produced = try await load.stop()
            try await churn.finish(produced: produced, timeout: .seconds(30))
        } catch {
            await churn.closeAll()
            _ = try? await load.stop()
            throw error
        }
        let all = churn.members

        let records = all.flatMap(\.records)
        let values = Set(records.map(\.value))
        #expect(values.count == produced, "\(produced - values.count) records never read")

        // Each partition's stints in the order they began reading.
        let stints = all.flatMap(\.tracker.stints).filter { $0.first != nil }
        var rereads: [(stint: CommitterStint, count: Int)] = []
        for stint in stints {
            let earlier = stints.filter { $0.partition == stint.partition && $0.first! < stint.first! }
            guard let readUpTo = earlier.map({ $0.last! }).max(), readUpTo >= stint.first! else { continue }
            rereads.append((stint, Int(readUpTo - stint.first! + 1)))
        }
        // A record is read again only if its first reader's commit past it had not been
        // acknowledged when the next owner got the partition: the next owner starts at or
        // after every acknowledged commit.
        let early = stints.filter { $0.first! < $0.committedAtAssignment }
        #expect(early.isEmpty, "owners started before an acknowledged commit: \(early.prefix(10))")
        var counts: [Position: Int] = [:]
        for record in records { counts[Position(partition: record.partition, offset: record.offset), default: 0] += 1 }
        let duplicates = counts.values.reduce(0) { $0 + $1 - 1 }

        // Per hand-over, the re-reads stay within the uncommitted window: what the earlier
        // readers had read past the commit the group had acknowledged at the assignment.
        // (One commit interval when the commits held during the rejoin are accepted as the
        // partitions go; the embedded broker refuses every commit while any member rejoins,
        // and then the window reaches back to its last accepted commit.)
        let beyondWindow = rereads.filter { reread in
            let window = Int(reread.stint.first!) + reread.count - Int(reread.stint.committedAtAssignment)
            return reread.count > window
        }
        #expect(beyondWindow.isEmpty, "hand-overs re-read beyond the uncommitted window: \(beyondWindow.prefix(10).map { "\($0.count) after \($0.stint)" })")

        let lost = all.reduce(0) { $0 + $1.tracker.lostCount }
        // The symptom of librdkafka#4059: a commit answered ILLEGAL_GENERATION loses the
        // member's partitions. The gate keeps commits from carrying a generation that ends,
        // except in the window it cannot see (docs/consumer.md, "What remains"), which a
        // loaded machine widens: there it is a known issue of the library, intermittent.
        if TestCluster.isNoidaDB {
            try await withKnownBrokerIssue(.generationWithoutRejoin) {
                #expect(lost == 0, "partitions lost: \(lost)")
            }
        } else {
            withKnownIssue(
                "a commit let through just before the JoinGroup is written may be written after it, and librdkafka 2.0.2 then loses the partitions (librdkafka#4059; docs/consumer.md, \"What remains\")",
                isIntermittent: true
            ) {
                #expect(lost == 0, "partitions lost: \(lost)")
            }
        }
        let refused = all.reduce(0) { $0 + $1.refusedCommits }
        let failed = all.reduce(0) { $0 + $1.failedCommits }
        print("""
            cooperative, \(style) commits every \(Self.commitInterval): \(produced) records, \(stints.count) partition stints, \
            \(rereads.count) hand-overs with re-reads (largest \(rereads.map(\.count).max() ?? 0)), \(duplicates) duplicates, \
            \(lost) partitions lost, \(refused) commits refused as rebalancing, \(failed) other commit failures
            """)
    }
}

/// One member's ownership of one partition, from its assignment to its revocation.
struct CommitterStint: Sendable, CustomStringConvertible {
    let partition: Int32
    /// The highest commit the group had acknowledged for the partition at the assignment.
    let committedAtAssignment: Int64
    var first: Int64?
    var last: Int64?
    var lost = false
    var description: String {
        "partition \(partition): read \(first.map(String.init) ?? "-")...\(last.map(String.init) ?? "-") with \(committedAtAssignment) committed at assignment\(lost ? ", lost" : "")"
    }
}

/// Records each partition's stints and the next offset to commit for the partitions the
/// member owns. It commits nothing itself: the member's periodic commits are all there is.
final class StintTracker: RebalanceListener {
    let ledger: CommitLedger
    private struct State {
        var open: [TopicPartition: CommitterStint] = [:]
        var closed: [CommitterStint] = []
        var positions: [TopicPartition: Int64] = [:]
        var lostCount = 0
    }
    private let state = Guarded(State())

    init(ledger: CommitLedger) { self.ledger = ledger }

    var assigned: Set<TopicPartition> { state.withLock { Set($0.open.keys) } }
    var stints: [CommitterStint] { state.withLock { $0.closed + Array($0.open.values) } }
    var lostCount: Int { state.withLock { $0.lostCount } }
    /// The next offset of each owned partition the member has read from.
    var positions: [TopicPartitionOffset] {
        state.withLock { $0.positions.map { TopicPartitionOffset($0.key, offset: $0.value) } }
    }

    func didRead(_ partition: TopicPartition, offset: Int64) {
        state.withLock { state in
            guard var stint = state.open[partition] else { return }
            if stint.first == nil { stint.first = offset }
            stint.last = offset
            state.open[partition] = stint
            state.positions[partition] = offset + 1
        }
    }

    func onPartitionsAssigned(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        let stints = partitions.map { CommitterStint(partition: $0.partition, committedAtAssignment: ledger.committedOffset($0.partition)) }
        state.withLock { state in
            for (partition, stint) in zip(partitions, stints) where state.open[partition] == nil {
                state.open[partition] = stint
            }
        }
    }

    func onPartitionsRevoked(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        end(partitions, lost: false)
    }

    func onPartitionsLost(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        end(partitions, lost: true)
    }

    private func end(_ partitions: [TopicPartition], lost: Bool) {
        state.withLock { state in
            if lost { state.lostCount += partitions.count }
            for partition in partitions {
                state.positions[partition] = nil
                guard var stint = state.open.removeValue(forKey: partition) else { continue }
                stint.lost = lost
                state.closed.append(stint)
            }
        }
    }
}

/// A group member reading with the async sequence and committing every
/// ``CooperativeCommitTests/commitInterval`` records.
final class PeriodicCommitter: ChurnMember {
    let consumer: KafkaConsumer<String, String>
    let tracker: StintTracker
    private let seen = Guarded<[ConsumerRecord<String, String>]>([])
    private let outcomes = Guarded((refused: 0, failed: 0))
    private let task = Guarded<Task<Void, Never>?>(nil)

    init(
        cluster: TestCluster,
        configuration: ConsumerConfiguration,
        topic: String,
        ledger: CommitLedger,
        style: CooperativeCommitTests.CommitStyle
    ) throws {
        consumer = try cluster.stringConsumer(configuration)
        tracker = StintTracker(ledger: ledger)
        try consumer.subscribe(topics: [topic], listener: tracker)
        let consumer = self.consumer
        task.withLock {
            $0 = Task { [seen, outcomes, ledger, tracker] in
                @Sendable func count(_ error: KafkaError) {
                    outcomes.withLock {
                        if error.code == .rebalanceInProgress { $0.refused += 1 } else { $0.failed += 1 }
                    }
                }
                do {
                    var sinceCommit = 0
                    for try await record in consumer.records {
                        seen.withLock { $0.append(record) }
                        tracker.didRead(TopicPartition(topic: record.topic, partition: record.partition), offset: record.offset)
                        sinceCommit += 1
                        guard sinceCommit == CooperativeCommitTests.commitInterval else { continue }
                        sinceCommit = 0
                        switch style {
                        case .async:
                            consumer.commitAsync { result in
                                switch result {
                                case .success(let offsets): ledger.committed(offsets)
                                case .failure(let error): count(error)
                                }
                            }
                        case .awaiting:
                            let offsets = tracker.positions
                            do {
                                try await consumer.commit(offsets)
                                // A partition revoked meanwhile was left out of a retry.
                                let owned = tracker.assigned
                                ledger.committed(offsets.filter { owned.contains($0.topicPartition) })
                            } catch let error as KafkaError {
                                count(error)
                            }
                        }
                    }
                } catch {
                    Issue.record("member read failed: \(error)")
                }
            }
        }
    }

    var assigned: Set<TopicPartition> { tracker.assigned }
    var records: [ConsumerRecord<String, String>] { seen.withLock { $0 } }
    var recordCount: Int { seen.withLock { $0.count } }
    var refusedCommits: Int { outcomes.withLock { $0.refused } }
    var failedCommits: Int { outcomes.withLock { $0.failed } }

    func close() async {
        await consumer.close()
        await task.withLock { $0 }?.value
    }
}
