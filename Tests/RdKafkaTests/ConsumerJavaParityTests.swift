import Foundation
import RdKafka
import Testing

/// The consumer calls a Java developer reaches for: paused(), committed with metadata, seek
/// to such an offset, beginning and end offsets of many partitions, metrics().
@Suite("Consumer: Java's paused, committed with metadata, beginning and end offsets, metrics")
struct ConsumerJavaParityTests {
    @Test("paused() names the partitions paused and not resumed, whether paused directly or in a rebalance listener")
    func paused() async throws {
        let (cluster, topic, consumer) = try await TestCluster.makeWithAssignedConsumer(records: 20, partitions: 2)
        let first = TopicPartition(topic: topic, partition: 0)
        let second = TopicPartition(topic: topic, partition: 1)
        #expect(try consumer.paused().isEmpty)
        try consumer.pause([second])
        #expect(try consumer.paused() == [second])
        // What paused() says is what the consumer does: only the first partition is read.
        let read = try pollRecords(consumer, count: 10)
        #expect(read.count == 10 && read.allSatisfy { $0.partition == 0 })
        try consumer.pause([first])
        #expect(try consumer.paused() == [first, second])
        try consumer.resume([first, second])
        #expect(try consumer.paused().isEmpty)
        #expect(try pollRecords(consumer, count: 10).allSatisfy { $0.partition == 1 })
        await consumer.close()
        #expect(throws: KafkaError.self) { try consumer.paused() }

        // Paused by the listener while the group assigns them; still paused once assigned.
        let member = try cluster.stringConsumer(cluster.consumerConfiguration())
        try member.subscribe(topics: [topic], listener: PauseOnAssign())
        try await eventually(timeout: .seconds(45), "the assigned partitions reported paused") {
            let records = try member.poll(maxRecords: 10, timeout: .milliseconds(100))
            #expect(records.isEmpty, "read \(records.map(\.offset)) from a paused partition")
            return try member.paused() == [first, second]
        }
        await member.close()
    }

    @Test("committedWithMetadata reads back the metadata written with each commit; seek goes to such an offset")
    func committedWithMetadata() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(20, partitions: 2)
        let first = TopicPartition(topic: topic, partition: 0)
        let second = TopicPartition(topic: topic, partition: 1)
        let consumer = try cluster.assignedConsumer(topic, partitions: 2)
        #expect(try consumer.committedWithMetadata([first, second]).isEmpty)
        #expect(try pollRecords(consumer, count: 20).count == 20)

        try await consumer.commit([
            TopicPartitionOffset(first, offset: 7, metadata: "checkpoint 7 by billing-1"),
            TopicPartitionOffset(second, offset: 4),
        ])
        let committed = try consumer.committedWithMetadata([first, second])
        #expect(committed == [
            first: OffsetAndMetadata(offset: 7, metadata: "checkpoint 7 by billing-1"),
            second: OffsetAndMetadata(offset: 4, metadata: nil),
        ])
        // The offsets alone agree.
        #expect(try consumer.committed([first, second]) == [first: 7, second: 4])

        // Back to what was committed, as after a restart: the next reads start there.
        let restart = try #require(committed[first])
        try consumer.seek(first, to: restart)
        let reread = try pollRecords(consumer, count: 3)
        #expect(reread.map(\.offset) == [7, 8, 9])
        #expect(reread.allSatisfy { $0.partition == 0 })

        // A later commit replaces the metadata.
        try consumer.commitSync([TopicPartitionOffset(first, offset: 10, metadata: "{\"by\":\"billing-2\"}")])
        #expect(try consumer.committedWithMetadata([first])[first] == OffsetAndMetadata(offset: 10, metadata: "{\"by\":\"billing-2\"}"))
        await consumer.close()
    }

    @Test("beginningOffsets and endOffsets answer many partitions at once")
    func beginningAndEndOffsets() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 3)
        // 12 records spread evenly, then 5 more into partition 2.
        try await cluster.produce(topic: topic, count: 12, partitions: 3)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .string)
        for index in 0..<5 { try await producer.send(ProducerRecord(topic: topic, partition: 2, value: "extra \(index)")) }
        await producer.close()

        let all = (0..<3).map { TopicPartition(topic: topic, partition: Int32($0)) }
        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        #expect(try consumer.beginningOffsets(all) == [all[0]: 0, all[1]: 0, all[2]: 0])
        #expect(try consumer.endOffsets(all) == [all[0]: 4, all[1]: 4, all[2]: 9])
        #expect(try consumer.endOffsets([]).isEmpty)
        // They agree with the per-partition watermark query.
        for partition in all {
            let watermarks = try consumer.queryWatermarks(partition)
            #expect(try consumer.endOffsets([partition])[partition] == watermarks.high)
        }
        await consumer.close()
        #expect(throws: KafkaError.self) { try consumer.endOffsets(all) }
    }

    @Test("position(_:fetchingWithin:) before the first record: the committed offset, else where auto.offset.reset points")
    func positionBeforeFirstRecord() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(10)
        let partition = TopicPartition(topic: topic, partition: 0)
        let configuration = cluster.consumerConfiguration()

        let fresh = try cluster.assignedConsumer(topic, configuration: configuration)
        #expect(try fresh.position(partition) == nil)
        // Nothing committed, earliest: the partition's start.
        #expect(try fresh.position(partition, fetchingWithin: .seconds(10)) == 0)
        try fresh.commitSync([TopicPartitionOffset(partition, offset: 4)])
        await fresh.close()

        // The group committed 4: that is where the next member starts, and says it will.
        let member = try cluster.assignedConsumer(topic, configuration: configuration)
        #expect(try member.position(partition) == nil)
        #expect(try member.position(partition, fetchingWithin: .seconds(10)) == 4)
        #expect(try pollRecords(member, count: 1).first?.offset == 4)
        #expect(try member.position(partition, fetchingWithin: .seconds(10)) == 5)
        await member.close()

        // Another group, latest: the partition's end.
        var latest = cluster.consumerConfiguration()
        latest.autoOffsetReset = .latest
        let late = try cluster.assignedConsumer(topic, configuration: latest)
        #expect(try late.position(partition, fetchingWithin: .seconds(10)) == 10)
        await late.close()

        // Another group, error: there is no position to give.
        var strict = cluster.consumerConfiguration()
        strict.autoOffsetReset = .error
        let refusing = try cluster.assignedConsumer(topic, configuration: strict)
        let error = #expect(throws: KafkaError.self) { try refusing.position(partition, fetchingWithin: .seconds(10)) }
        #expect(error?.code == .autoOffsetReset)
        await refusing.close()
    }

    @Test("metrics() returns the latest statistics on demand, and nil without a statistics interval")
    func metrics() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(10)
        var configuration = cluster.consumerConfiguration()
        configuration.statisticsInterval = .milliseconds(100)
        let consumer = try cluster.assignedConsumer(topic, configuration: configuration)
        #expect(try pollRecords(consumer, count: 10).count == 10)
        try await eventually(timeout: .seconds(10), "a snapshot counting the records read") {
            (consumer.metrics()?.rxMessages ?? 0) >= 10
        }
        let snapshot = try #require(consumer.metrics())
        #expect(snapshot.type == .consumer)
        #expect(snapshot.name == consumer.name)
        #expect(snapshot.topic(named: topic) != nil)
        await consumer.close()

        let quiet = try cluster.assignedConsumer(topic)
        #expect(try pollRecords(quiet, count: 10).count == 10)
        #expect(quiet.metrics() == nil)
        await quiet.close()
    }
}

/// Pauses every partition it is given.
private struct PauseOnAssign: RebalanceListener {
    func onPartitionsAssigned(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        try consumer.pause(partitions)
    }
}
