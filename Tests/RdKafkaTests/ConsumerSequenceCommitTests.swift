import Foundation
import RdKafka
import Testing

/// The async sequence's commit guarantee in a consumer group: whatever librdkafka has
/// already fetched (or the sequence has read ahead), a commit — by `commit()`, by auto
/// commit on close — never covers a record the loop has not returned, and nothing the loop
/// did not return is lost for the next member.
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

        // Per partition, the committed offset is at most one past the last record returned
        // (exactly that, when every returned record's offset was stored), and a partition
        // with no record returned has nothing committed beyond its start.
        let second = try cluster.stringConsumer(cluster.consumerConfiguration(group: group))
        let topicPartitions = (0..<partitions).map { TopicPartition(topic: topic, partition: Int32($0)) }
        let committed = try second.committed(topicPartitions)
        for partition in topicPartitions {
            let limit = (returned[partition.partition]?.max()).map { $0 + 1 } ?? 0
            let offset = committed[partition] ?? 0
            #expect(offset <= limit, "partition \(partition.partition): committed \(offset), but the loop returned up to \(limit - 1)")
        }

        // Nothing is lost: the next member reads from the committed offsets, and with what
        // the first returned that is every record.
        try second.subscribe(topics: [topic])
        let remainingWatchdog = Task {
            try await Task.sleep(for: TestDeadline.scaled(.seconds(60)))
            second.wakeup()
        }
        for try await record in second.records {
            values.insert(record.value)
            if values.count == total { break }
        }
        remainingWatchdog.cancel()
        #expect(values.count == total, "\(total - values.count) records were neither returned to the first member nor read by the second")
        await second.close()
    }
}
