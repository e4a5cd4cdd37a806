import Foundation
import RdKafka
import Testing

/// The async sequence's commit guarantee in a consumer group: whatever librdkafka has
/// already fetched or the sequence has read ahead (it takes up to a few hundred records per
/// librdkafka call), a commit — by `commit()`, by auto commit on close, in a rebalance
/// listener on revoke — covers exactly the records the loop has returned: nothing the loop
/// did not return is lost for the next member, and nothing it returned is read again.
@Suite("Consumer: the async sequence's commits in a group", .serialized)
struct ConsumerSequenceCommitTests {
    enum Stop: CaseIterable, Sendable {
        /// The loop breaks, commits, then closes (auto commit off).
        case commitThenClose
        /// The loop breaks and closes; auto commit commits on close.
        case autoCommitOnClose
    }

    @Test(
        "a commit never covers a record the loop has not returned, and the next member gets the rest",
        arguments: Stop.allCases
    )
    func commitCoversOnlyReturnedRecords(stop: Stop) async throws {
        let cluster = try TestCluster.make()
        let partitions = 4
        let total = 2_000
        let topic = try await cluster.topic(withRecords: total, partitions: partitions)
        let group = "group-\(UUID().uuidString.prefix(8))"
        let autoCommit = stop == .autoCommitOnClose

        // The first member stops after a number of records that leaves most of every
        // partition fetched but not returned.
        let first = try cluster.stringConsumer(cluster.consumerConfiguration(group: group, autoCommit: autoCommit))
        try first.subscribe(topics: [topic])
        let stopAfter = 333
        var returned: [Int32: [Int64]] = [:]
        var values: Set<String> = []
        let watchdog = Task {
            try await Task.sleep(for: TestDeadline.scaled(.seconds(60)))
            first.wakeup()
        }
        for try await record in first.records {
            returned[record.partition, default: []].append(record.offset)
            values.insert(record.value)
            if values.count == stopAfter { break }
        }
        watchdog.cancel()
        #expect(values.count == stopAfter)
        if !autoCommit { try await first.commit() }
        await first.close()

        // Per partition, the committed offset is exactly one past the last record returned,
        // and a partition with no record returned has nothing committed.
        let second = try cluster.stringConsumer(cluster.consumerConfiguration(group: group))
        let topicPartitions = (0..<partitions).map { TopicPartition(topic: topic, partition: Int32($0)) }
        let committed = try second.committed(topicPartitions)
        for partition in topicPartitions {
            let offsets = returned[partition.partition] ?? []
            #expect(offsets == Array(0..<Int64(offsets.count)), "partition \(partition.partition): the loop skipped or repeated records")
            let expected = offsets.isEmpty ? nil : Int64(offsets.count)
            #expect(committed[partition] == expected, "partition \(partition.partition): committed \(committed[partition].map(String.init) ?? "nothing"), but the loop returned \(offsets.count) records")
        }

        // The next member resumes exactly after the last record returned, per partition, and
        // reads every other record once.
        try second.subscribe(topics: [topic])
        let remainingWatchdog = Task {
            try await Task.sleep(for: TestDeadline.scaled(.seconds(60)))
            second.wakeup()
        }
        var firstOffsets: [Int32: Int64] = [:]
        var reread = 0
        for try await record in second.records {
            if firstOffsets[record.partition] == nil { firstOffsets[record.partition] = record.offset }
            if !values.insert(record.value).inserted { reread += 1 }
            if values.count == total { break }
        }
        remainingWatchdog.cancel()
        #expect(values.count == total, "\(total - values.count) records were neither returned to the first member nor read by the second")
        #expect(reread == 0, "the second member read \(reread) records the first had returned and committed")
        for (partition, offset) in firstOffsets {
            #expect(offset == Int64(returned[partition]?.count ?? 0), "partition \(partition): the second member started at \(offset)")
        }
        await second.close()
    }

    /// Commits on revoke, synchronously, as the Java idiom does, and notes the partitions
    /// whose commit was refused: the embedded broker refuses commits while an eager
    /// rebalance is in progress (see docs/consumer.md), and what such a member returned after
    /// its last commit is legitimately read again by the next owner.
    struct CommitOnRevoke: RebalanceListener {
        let revocations: Guarded<Int>
        let refused: Guarded<Set<Int32>>

        func onPartitionsRevoked(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
            revocations.withLock { $0 += 1 }
            guard !partitions.isEmpty else { return }
            do {
                try consumer.commitSync()
            } catch {
                refused.withLock { $0.formUnion(partitions.map(\.partition)) }
                throw error
            }
        }
    }

    @Test("a member joining mid-loop: nothing lost, nothing a commit on revoke covered read again")
    func revocationDuringIteration() async throws {
        let cluster = try TestCluster.make()
        let partitions = 4
        let total = 2_000
        let topic = try await cluster.topic(withRecords: total, partitions: partitions)
        let group = "group-\(UUID().uuidString.prefix(8))"
        // value -> how many times a member returned it
        let seen = Guarded([String: Int]())
        let partitionOf = Guarded([String: Int32]())
        let revocations = Guarded(0)
        let refused = Guarded(Set<Int32>())

        @Sendable func consume(_ consumer: KafkaConsumer<String, String>, processing: Duration) async throws {
            for try await record in consumer.records {
                partitionOf.withLock { $0[record.value] = record.partition }
                let done = seen.withLock { seen in
                    seen[record.value, default: 0] += 1
                    return seen.count == total
                }
                if done { break }
                // Stands for the application's work, so that the first member still holds
                // most of the topic, records read ahead included, when the second joins.
                try await Task.sleep(for: processing)
            }
        }

        let first = try cluster.stringConsumer(cluster.consumerConfiguration(group: group))
        try first.subscribe(topics: [topic], listener: CommitOnRevoke(revocations: revocations, refused: refused))
        let second = try cluster.stringConsumer(cluster.consumerConfiguration(group: group))
        let firstLoop = Task { try await consume(first, processing: .milliseconds(2)) }
        try await eventually(timeout: TestDeadline.scaled(.seconds(20)), "the first member returned records") {
            seen.withLock { $0.count >= 100 }
        }
        try second.subscribe(topics: [topic], listener: CommitOnRevoke(revocations: revocations, refused: refused))
        let secondLoop = Task { try await consume(second, processing: .milliseconds(1)) }
        let watchdog = Task {
            try await Task.sleep(for: TestDeadline.scaled(.seconds(60)))
            first.wakeup()
            second.wakeup()
        }
        // Whichever member sees the last record ends its loop; the other is woken by close.
        try await eventually(timeout: TestDeadline.scaled(.seconds(60)), "every record was returned") {
            seen.withLock { $0.count == total }
        }
        watchdog.cancel()
        await first.close()
        await second.close()
        _ = try? await firstLoop.value
        _ = try? await secondLoop.value

        #expect(revocations.withLock { $0 } >= 1, "the second member joined without a revocation")
        let twice = seen.withLock { seen in seen.filter { $0.value > 1 }.map(\.key) }
        let refusedPartitions = refused.withLock { $0 }
        let rereadCommitted = partitionOf.withLock { partitionOf in
            twice.filter { !refusedPartitions.contains(partitionOf[$0] ?? -1) }
        }
        #expect(seen.withLock { $0.count } == total)
        #expect(rereadCommitted.isEmpty, "\(rereadCommitted.count) records were returned again though the commit on revoke of their partition succeeded")
    }
}
