import Foundation
import RdKafka
import Testing

@Suite("Consumer: batch reads", .serialized)
struct ConsumerBatchReadTests {
    @Test("poll(maxRecords:) takes what is ready in one call, beyond 64 records, and waits for the first record only")
    func batchTakesWhatIsReady() async throws {
        let (cluster, topic, consumer) = try await TestCluster.makeWithAssignedConsumer(records: 500)

        var values: [String] = []
        var batchSizes: [Int] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while values.count < 500, ContinuousClock.now < deadline {
            let batch = try consumer.poll(maxRecords: 1000, timeout: .milliseconds(500))
            if !batch.isEmpty { batchSizes.append(batch.count) }
            values += batch.map(\.value)
        }
        #expect(values == (0..<500).map { "v\($0)" })
        // The records were all in the log before the first fetch, which carries them together.
        #expect((batchSizes.max() ?? 0) > 64, "batch sizes \(batchSizes)")

        // Fewer records than asked for: the call returns them instead of waiting out its
        // timeout for a full batch.
        try await cluster.produce(topic: topic, count: 3, from: 500)
        let started = ContinuousClock.now
        var more: [String] = []
        while more.count < 3, ContinuousClock.now - started < .seconds(20) {
            more += try consumer.poll(maxRecords: 1000, timeout: .seconds(20)).map(\.value)
        }
        #expect(more == ["v500", "v501", "v502"])
        #expect(ContinuousClock.now - started < .seconds(15), "waited for a full batch instead of the first record")
        await consumer.close()
    }

    @Test("records after an error in the same batch come back, in order, after the error")
    func recordsAfterAnErrorInTheBatch() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(keySerializer: .string, valueSerializer: .bytes)
        for value: [UInt8] in [[0, 0, 0, 1], [0, 0, 0, 2], [9], [0, 0, 0, 4], [0, 0, 0, 5], [9], [0, 0, 0, 7]] {
            _ = try await producer.send(ProducerRecord(topic: topic, partition: 0, value: value))
        }
        await producer.close()
        let consumer = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(), keyDeserializer: .string, valueDeserializer: .int32
        )
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])

        let outcomes = Self.readOutcomes(consumer, count: 7)
        #expect(outcomes == ["1", "2", "error@2", "4", "5", "error@5", "7"])
        #expect(try consumer.poll(timeout: .milliseconds(100)) == nil)
        await consumer.close()
    }

    /// How the application stops after a batch poll held records back behind a malformed one.
    enum StopAfterMalformed: CaseIterable, Sendable {
        /// It saw the records before the malformed one, committed and closed.
        case commitsBeforeTheError
        /// It saw the error too, and closed with auto commit on.
        case autoCommitsAfterTheError
    }

    @Test(
        "records taken with a malformed one but not returned yet are not committed: the next reader gets them",
        arguments: StopAfterMalformed.allCases
    )
    func recordsAfterAnErrorAreNotCommitted(stop: StopAfterMalformed) async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let partition = TopicPartition(topic: topic, partition: 0)
        try await Self.produceWithMalformedThird(cluster, topic)
        let group = "group-\(UUID().uuidString.prefix(8))"
        let autoCommit = stop == .autoCommitsAfterTheError

        let first = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(group: group, autoCommit: autoCommit), keyDeserializer: .string, valueDeserializer: .int32
        )
        try first.assign([partition])
        var values: [Int32] = []
        var failure: KafkaError?
        let deadline = ContinuousClock.now + .seconds(20)
        // The first batch returns 0 and 1 and holds the error and 3, 4, 5 back.
        while values.count < 2 || (autoCommit && failure == nil), ContinuousClock.now < deadline {
            do {
                values += try first.poll(maxRecords: 100, timeout: .milliseconds(200)).map(\.value)
            } catch {
                failure = error
            }
        }
        #expect(values == [0, 1])
        if autoCommit { #expect(failure?.offset == 2) } else { try await first.commit() }
        await first.close()

        // Nothing held back was committed: the next reader starts at the first record the
        // application did not get (the malformed one's error counts as got).
        let second = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(group: group), keyDeserializer: .string, valueDeserializer: .int32
        )
        #expect(try second.committed([partition])[partition] == (autoCommit ? 3 : 2))
        try second.assign([partition])
        let rest = Self.readOutcomes(second, count: autoCommit ? 3 : 4)
        #expect(rest == (autoCommit ? [] : ["error@2"]) + ["3", "4", "5"])
        await second.close()
    }

    /// What batch polls return, until `count` outcomes or 20 s: each record's value, and
    /// `error@offset` for each deserialization error thrown.
    private static func readOutcomes(_ consumer: KafkaConsumer<String, Int32>, count: Int) -> [String] {
        var outcomes: [String] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while outcomes.count < count, ContinuousClock.now < deadline {
            do {
                outcomes += try consumer.poll(maxRecords: 100, timeout: .milliseconds(200)).map { "\($0.value)" }
            } catch {
                #expect(error.code == .valueDeserialization)
                outcomes.append("error@\(error.offset ?? -1)")
            }
        }
        return outcomes
    }

    /// Six 4-byte integers 0...5 on partition 0 but the third (offset 2) a single byte,
    /// enqueued together so they share a record batch: one fetch carries the malformed record
    /// and the three after it.
    private static func produceWithMalformedThird(_ cluster: TestCluster, _ topic: String) async throws {
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .bytes)
        var pending: [PendingDelivery] = []
        for value: [UInt8] in [[0, 0, 0, 0], [0, 0, 0, 1], [9], [0, 0, 0, 3], [0, 0, 0, 4], [0, 0, 0, 5]] {
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, partition: 0, value: value)))
        }
        for delivery in pending { _ = try await delivery.metadata }
        await producer.close()
    }

    @Test("once the records held back after an error are returned, a commit covers them")
    func heldBackRecordsCommittedOnceReturned() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let partition = TopicPartition(topic: topic, partition: 0)
        try await Self.produceWithMalformedThird(cluster, topic)
        let consumer = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(), keyDeserializer: .string, valueDeserializer: .int32
        )
        try consumer.assign([partition])
        #expect(Self.readOutcomes(consumer, count: 6) == ["0", "1", "error@2", "3", "4", "5"])
        try await consumer.commit()
        #expect(try consumer.committed([partition])[partition] == 6)
        await consumer.close()
    }
}
