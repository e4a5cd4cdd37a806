import Foundation
import RdKafka
import Testing

/// A consumer without a group (no `groupID`): librdkafka has no consumer queue and no
/// group assignment for it, so these prove every read and position call end to end, and
/// that whatever needs a group is refused with a typed error saying so.
@Suite("Consumer without a group", .serialized)
struct ConsumerStandaloneTests {
    @Test("assign, poll, batch poll, position, watermarks and lag work without a group")
    func pollsWithoutGroup() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(30)
        let partition = TopicPartition(topic: topic, partition: 0)
        let consumer = try cluster.stringConsumer(cluster.standaloneConfiguration())
        #expect(!consumer.hasGroup)
        try consumer.assign([partition])
        #expect(try consumer.assignment() == [partition])

        let single = try pollRecords(consumer, count: 10)
        #expect(single.map(\.offset) == Array(0..<10))
        #expect(single.map(\.key) == (0..<10).map { "k\($0)" })
        #expect(single.map(\.value) == (0..<10).map { "v\($0)" })
        var batched: [ConsumerRecord<String, String>] = []
        try await eventually(timeout: .seconds(20), "20 records by batch poll") {
            batched += try consumer.poll(maxRecords: 7, timeout: .milliseconds(200))
            return batched.count >= 20
        }
        #expect(batched.map(\.value) == (10..<30).map { "v\($0)" })
        #expect(try consumer.position(partition) == 30)
        #expect(try consumer.queryWatermarks(partition) == Watermarks(low: 0, high: 30))
        #expect(try consumer.cachedWatermarks(partition)?.high == 30)
        #expect(try consumer.lag() == [partition: 0])
        await consumer.close()
        #expect(throws: KafkaError.self) { try consumer.assignment() }
    }

    @Test("the async sequence reads an assignment without a group, across partitions")
    func recordsWithoutGroup() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(40, partitions: 2)
        let consumer = try cluster.assignedConsumer(topic, partitions: 2, configuration: cluster.standaloneConfiguration())
        let records = try await readRecords(consumer, count: 40)
        #expect(Set(records.map(\.value)) == Set((0..<40).map { "v\($0)" }))
        // Round-robin production: even indices went to partition 0, in order.
        #expect(records.filter { $0.partition == 0 }.map(\.value) == stride(from: 0, to: 40, by: 2).map { "v\($0)" })
        await consumer.close()
    }

    @Test("seek, pause and resume without a group")
    func seekPauseResume() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(20, partitions: 2)
        let first = TopicPartition(topic: topic, partition: 0)
        let second = TopicPartition(topic: topic, partition: 1)
        let consumer = try cluster.assignedConsumer(topic, partitions: 2, configuration: cluster.standaloneConfiguration())
        try consumer.pause([second])
        let unpaused = try pollRecords(consumer, count: 10)
        #expect(unpaused.map(\.value) == stride(from: 0, to: 20, by: 2).map { "v\($0)" })
        #expect(try consumer.poll(maxRecords: 10, timeout: .milliseconds(500)).isEmpty)
        try consumer.resume([second])
        let resumed = try pollRecords(consumer, count: 10)
        #expect(resumed.map(\.value) == stride(from: 1, to: 20, by: 2).map { "v\($0)" })

        try consumer.seek(first, to: 3)
        let sought = try pollRecords(consumer, count: 1).first
        #expect(sought?.partition == 0)
        #expect(sought?.offset == 3)
        #expect(sought?.value == "v6")
        try consumer.seekToEnd([first])
        try consumer.seekToBeginning([second])
        let again = try pollRecords(consumer, count: 10)
        #expect(again.allSatisfy { $0.partition == 1 })
        #expect(again.map(\.offset) == Array(0..<10))
        await consumer.close()
    }

    @Test("assign at offsets, incremental assign and unassign, and the reset policy without a group")
    func assignments() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(20, partitions: 2)
        let first = TopicPartition(topic: topic, partition: 0)
        let second = TopicPartition(topic: topic, partition: 1)
        let consumer = try cluster.stringConsumer(cluster.standaloneConfiguration())
        try consumer.assign([TopicPartitionOffset(first, offset: 7)])
        #expect(try pollRecords(consumer, count: 3).map(\.offset) == [7, 8, 9])
        try consumer.incrementalAssign([second])
        #expect(try consumer.assignment() == [first, second])
        let added = try pollRecords(consumer, count: 10)
        #expect(added.map(\.value) == stride(from: 1, to: 20, by: 2).map { "v\($0)" })
        let twice = #expect(throws: KafkaError.self) { try consumer.incrementalAssign([second]) }
        #expect(twice?.code == .conflict)
        try consumer.incrementalUnassign([first])
        #expect(try consumer.assignment() == [second])
        try await cluster.produce(topic: topic, count: 4, partitions: 2, from: 20)
        let after = try pollRecords(consumer, count: 2)
        #expect(after.map(\.value) == ["v21", "v23"])
        #expect(try consumer.poll(maxRecords: 10, timeout: .milliseconds(500)).isEmpty)
        try consumer.assign([TopicPartition]())
        #expect(try consumer.assignment().isEmpty)
        await consumer.close()

        var latest = cluster.standaloneConfiguration()
        latest.autoOffsetReset = .latest
        let tail = try cluster.stringConsumer(latest)
        try tail.assign([first])
        // Once a fetch response came, the start offset (the end) is settled.
        try await eventually(timeout: .seconds(20), "the first fetch response") { try tail.cachedWatermarks(first) != nil }
        #expect(try tail.poll(maxRecords: 10, timeout: .milliseconds(500)).isEmpty)
        try await cluster.produce(topic: topic, count: 1, partitions: 1, from: 100)
        #expect(try pollRecords(tail, count: 1).map(\.value) == ["v100"])
        await tail.close()

        var strict = cluster.standaloneConfiguration()
        strict.autoOffsetReset = .error
        let refusing = try cluster.stringConsumer(strict)
        let refused = #expect(throws: KafkaError.self) { try refusing.assign([first]) }
        #expect(refused?.code == .invalidArgument)
        try refusing.assign([TopicPartitionOffset(first, offset: 0)])
        #expect(try pollRecords(refusing, count: 1).first?.value == "v0")
        await refusing.close()
    }

    @Test("commits and everything else needing a group are refused with unknownGroup, and reading goes on")
    func commitsRefused() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(10)
        let partition = TopicPartition(topic: topic, partition: 0)
        let consumer = try cluster.stringConsumer(cluster.standaloneConfiguration())
        try consumer.assign([partition])
        let record = try #require(try pollRecords(consumer, count: 1).first)
        let next = [TopicPartitionOffset(after: record)]

        func expectNoGroup(_ what: String, _ body: () throws -> Void) {
            do {
                try body()
                Issue.record("\(what) was accepted without a group")
            } catch let error as KafkaError {
                #expect(error.code == .unknownGroup, "\(what)")
                #expect(error.message.contains("no groupID"), "\(what): \(error.message)")
            } catch {
                Issue.record("\(what) threw \(error)")
            }
        }
        expectNoGroup("commitSync()") { try consumer.commitSync() }
        expectNoGroup("commitSync(_:)") { try consumer.commitSync(next) }
        expectNoGroup("storeOffset(for:)") { try consumer.storeOffset(for: record) }
        expectNoGroup("committed") { _ = try consumer.committed([partition]) }
        expectNoGroup("subscribe") { try consumer.subscribe(topics: [topic]) }
        expectNoGroup("groupMetadata") { _ = try consumer.groupMetadata() }
        let asyncCommit = await #expect(throws: KafkaError.self) { try await consumer.commit() }
        #expect(asyncCommit?.code == .unknownGroup)
        let asyncOffsets = await #expect(throws: KafkaError.self) { try await consumer.commit(next) }
        #expect(asyncOffsets?.code == .unknownGroup)
        let completion = await withCheckedContinuation { continuation in
            consumer.commitAsync(next) { continuation.resume(returning: $0) }
        }
        #expect(throws: KafkaError.self) { try completion.get() }
        #expect(consumer.memberID == nil)
        #expect(try consumer.subscription().isEmpty)
        try consumer.unsubscribe()

        // The refusals changed nothing: the next record follows.
        #expect(try pollRecords(consumer, count: 9).map(\.offset) == Array(1..<10))
        await consumer.close()
    }

    @Test("offsetsForTimes without a group", .enabled(if: TestCluster.isReal, "the embedded broker (librdkafka 2.0.2 mock) answers timestamp lookups with -1"))
    func offsetsForTimes() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer()
        let base = KafkaTimestamp.now.millisecondsSinceEpoch - 60_000
        for index in 0..<10 {
            _ = try await producer.send(ProducerRecord(
                topic: topic, partition: 0, value: "v\(index)",
                timestamp: KafkaTimestamp(millisecondsSinceEpoch: base + Int64(index) * 1000)
            ))
        }
        await producer.close()
        let consumer = try cluster.stringConsumer(cluster.standaloneConfiguration())
        let partition = TopicPartition(topic: topic, partition: 0)
        let found = try consumer.offsetsForTimes([partition: KafkaTimestamp(millisecondsSinceEpoch: base + 4500)])
        let offset = try #require(found[partition] ?? nil)
        #expect(offset == 5)
        try consumer.assign([TopicPartitionOffset(partition, offset: offset)])
        #expect(try pollRecords(consumer, count: 5).map(\.value) == (5..<10).map { "v\($0)" })
        await consumer.close()
    }
}

extension TestCluster {
    /// ``consumerConfiguration(group:autoCommit:)`` without a group.
    func standaloneConfiguration() -> ConsumerConfiguration {
        var configuration = consumerConfiguration()
        configuration.groupID = nil
        return configuration
    }
}
