import Foundation
import RdKafka
import Testing

@Suite("Consumer: batch reads", .serialized)
struct ConsumerBatchReadTests {
    @Test("poll(maxRecords:) takes what is ready in one call, beyond 64 records, and waits for the first record only")
    func batchTakesWhatIsReady() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        try await cluster.produce(topic: topic, count: 500)
        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])

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
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .bytes)
        for value: [UInt8] in [[0, 0, 0, 1], [0, 0, 0, 2], [9], [0, 0, 0, 4], [0, 0, 0, 5], [9], [0, 0, 0, 7]] {
            _ = try await producer.send(ProducerRecord(topic: topic, partition: 0, value: value))
        }
        await producer.close()
        let consumer = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(), keyDeserializer: .string, valueDeserializer: .int32
        )
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])

        var outcomes: [String] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while outcomes.count < 7, ContinuousClock.now < deadline {
            do {
                outcomes += try consumer.poll(maxRecords: 100, timeout: .milliseconds(200)).map { "\($0.value)" }
            } catch {
                #expect(error.code == .valueDeserialization)
                outcomes.append("error@\(error.offset ?? -1)")
            }
        }
        #expect(outcomes == ["1", "2", "error@2", "4", "5", "error@5", "7"])
        #expect(try consumer.poll(timeout: .milliseconds(100)) == nil)
        await consumer.close()
    }
}
