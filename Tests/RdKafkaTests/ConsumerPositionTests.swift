import Foundation
import RdKafka
import Testing

@Suite("Consumer: positions, offsets and lag", .serialized)
struct ConsumerPositionTests {
    @Test("seek to an offset, to the beginning and to the end")
    func seek() async throws {
        let (cluster, topic, consumer) = try await TestCluster.makeWithAssignedConsumer(records: 20)
        let partition = TopicPartition(topic: topic, partition: 0)
        #expect(try pollRecords(consumer, count: 10).map(\.offset) == Array(0..<10))
        #expect(try consumer.position(partition) == 10)

        try consumer.seek(partition, to: 3)
        #expect(try pollRecords(consumer, count: 1).first?.offset == 3)
        try consumer.seekToBeginning([partition])
        #expect(try pollRecords(consumer, count: 1).first?.offset == 0)
        try consumer.seekToEnd([partition])
        // Nothing already stored is read after seeking to the end.
        #expect(try consumer.poll(maxRecords: 10, timeout: .milliseconds(500)).isEmpty)
        try await cluster.produce(topic: topic, count: 1, from: 20)
        let after = try pollRecords(consumer, count: 1).first
        #expect(after?.offset == 20)
        #expect(after?.value == "v20")
        await consumer.close()
    }

    @Test("a paused partition is not read until it is resumed")
    func pauseResume() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(20, partitions: 2)
        let second = TopicPartition(topic: topic, partition: 1)
        let consumer = try cluster.assignedConsumer(topic, partitions: 2)
        try consumer.pause([second])
        let unpaused = try pollRecords(consumer, count: 10)
        #expect(unpaused.count == 10)
        #expect(unpaused.allSatisfy { $0.partition == 0 })
        // Nothing else is readable while the second partition is paused.
        #expect(try consumer.poll(maxRecords: 10, timeout: .milliseconds(500)).isEmpty)
        try consumer.resume([second])
        let resumed = try pollRecords(consumer, count: 10)
        #expect(resumed.map(\.offset) == Array(0..<10))
        #expect(resumed.allSatisfy { $0.partition == 1 })
        await consumer.close()
    }

    @Test("lag is the high watermark minus the position: produce 100, consume 40, lag 60")
    func lag() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(100)
        let partition = TopicPartition(topic: topic, partition: 0)
        let consumer = try cluster.assignedConsumer(topic)
        #expect(try pollRecords(consumer, count: 40).count == 40)
        #expect(try consumer.lag() == [partition: 60])
        #expect(try consumer.queryWatermarks(partition) == Watermarks(low: 0, high: 100))
        #expect(try consumer.cachedWatermarks(partition)?.high == 100)
        await consumer.close()
    }

    @Test("auto.offset.reset earliest reads what exists, latest only what comes, error throws")
    func autoOffsetReset() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(5)
        let partition = TopicPartition(topic: topic, partition: 0)

        let earliest = try cluster.assignedConsumer(topic)
        #expect(try pollRecords(earliest, count: 5).map(\.value) == (0..<5).map { "v\($0)" })
        await earliest.close()

        var latestConfiguration = cluster.consumerConfiguration()
        latestConfiguration.autoOffsetReset = .latest
        let latest = try cluster.assignedConsumer(topic, configuration: latestConfiguration)
        // Once a fetch has answered, the start offset is resolved to the end.
        try await eventually(timeout: .seconds(20), "first fetch") {
            _ = try latest.poll(timeout: .milliseconds(50))
            return try latest.cachedWatermarks(partition) != nil
        }
        try await cluster.produce(topic: topic, count: 3, from: 5)
        #expect(try pollRecords(latest, count: 3).map(\.value) == ["v5", "v6", "v7"])
        await latest.close()

        var errorConfiguration = cluster.consumerConfiguration()
        errorConfiguration.autoOffsetReset = .error
        let failing = try cluster.assignedConsumer(topic, configuration: errorConfiguration)
        var thrown: KafkaError?
        let deadline = ContinuousClock.now + .seconds(20)
        while thrown == nil, ContinuousClock.now < deadline {
            do {
                let record = try failing.poll(timeout: .milliseconds(100))
                #expect(record == nil)
            } catch {
                thrown = error
            }
        }
        #expect(thrown?.code == .autoOffsetReset)
        #expect(thrown?.topic == topic)
        #expect(thrown?.partition == 0)
        await failing.close()
    }

    @Test("sync, callback and awaited commits agree with committed, and a restarted member resumes there")
    func commits() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(30)
        let partition = TopicPartition(topic: topic, partition: 0)
        let configuration = cluster.consumerConfiguration()

        let consumer = try cluster.assignedConsumer(topic, configuration: configuration)
        #expect(try consumer.committed([partition]).isEmpty)
        #expect(try pollRecords(consumer, count: 10).count == 10)
        try consumer.commitSync()
        #expect(try consumer.committed([partition]) == [partition: 10])

        #expect(try pollRecords(consumer, count: 5).count == 5)
        let callbackResult = await withCheckedContinuation { continuation in
            consumer.commitAsync { continuation.resume(returning: $0) }
        }
        #expect(try callbackResult.get().map(\.offset) == [15])
        #expect(try consumer.committed([partition]) == [partition: 15])

        #expect(try pollRecords(consumer, count: 5).count == 5)
        try await consumer.commit()
        #expect(try consumer.committed([partition]) == [partition: 20])

        try await consumer.commit([TopicPartitionOffset(partition, offset: 7, metadata: "checkpoint")])
        #expect(try consumer.committed([partition]) == [partition: 7])
        try consumer.commitSync([TopicPartitionOffset(partition, offset: 12)])
        #expect(try consumer.committed([partition]) == [partition: 12])
        await consumer.close()

        let restarted = try cluster.stringConsumer(configuration)
        try restarted.subscribe(topics: [topic])
        let resumed = try await readRecords(restarted, count: 1)
        #expect(resumed.first?.offset == 12)
        await restarted.close()
    }

    @Test("a commit refused by the coordinator is a typed, retriable error")
    func commitError() async throws {
        let cluster = try TestCluster.make()
        let embedded = try cluster.requireEmbedded()
        let topic = try await cluster.topic(withRecords: 3)
        let partition = TopicPartition(topic: topic, partition: 0)
        let consumer = try cluster.assignedConsumer(topic)
        #expect(try pollRecords(consumer, count: 3).count == 3)
        try embedded.pushRequestErrors(.offsetCommit, [.rebalanceInProgress])
        do {
            try consumer.commitSync([TopicPartitionOffset(partition, offset: 3)])
            Issue.record("the injected commit error was not reported")
        } catch {
            #expect(error.code == .rebalanceInProgress)
            #expect(error.isRetriable)
        }
        try consumer.commitSync([TopicPartitionOffset(partition, offset: 3)])
        #expect(try consumer.committed([partition]) == [partition: 3])
        await consumer.close()
    }

    @Test("manual offset store with auto commit commits only what was stored")
    func manualOffsetStore() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(10)
        let partition = TopicPartition(topic: topic, partition: 0)
        var configuration = cluster.consumerConfiguration(autoCommit: true)
        configuration.enableAutoOffsetStore = false
        configuration.autoCommitInterval = .milliseconds(100)
        let consumer = try cluster.assignedConsumer(topic, configuration: configuration)
        let records = try pollRecords(consumer, count: 10)
        #expect(records.count == 10)
        try consumer.storeOffset(for: records[3])
        try await eventually(timeout: .seconds(10), "auto commit of the stored offset") {
            try consumer.committed([partition]) == [partition: 4]
        }
        await consumer.close()
        // Close commits what is stored, not what was read.
        let check = try cluster.stringConsumer(configuration)
        #expect(try check.committed([partition]) == [partition: 4])
        await check.close()
    }
}
