import Foundation
import RdKafka
import Testing

/// One test per crash the audit of force unwraps, implicitly unwrapped C returns and
/// unchecked conversions found reachable from the public API (docs/reliability.md, "No
/// crash from the public API"). The consumer without a group (librdkafka's NULL consumer
/// queue) has its own suite: `ConsumerStandaloneTests`.
@Suite("Reliability: what crashed before the audit is a value or a typed error")
struct ReliabilityCrashAuditTests {
    @Test("a Date beyond Kafka's 64-bit milliseconds, or not a number, makes a clamped timestamp")
    func extremeDates() {
        #expect(KafkaTimestamp(Date(timeIntervalSince1970: 1e300)).millisecondsSinceEpoch == .max)
        #expect(KafkaTimestamp(Date(timeIntervalSince1970: -1e300)).millisecondsSinceEpoch == .min)
        #expect(KafkaTimestamp(Date(timeIntervalSince1970: .infinity)).millisecondsSinceEpoch == .max)
        #expect(KafkaTimestamp(Date(timeIntervalSince1970: .nan)).millisecondsSinceEpoch == 0)
        #expect(KafkaTimestamp(Date(timeIntervalSince1970: 1.5)).millisecondsSinceEpoch == 1_500)
        #expect(KafkaTimestamp(Date(timeIntervalSince1970: -0.0005)).millisecondsSinceEpoch == -1)
    }

    @Test("a header name with a NUL is refused before librdkafka would cut it short; the producer stays usable")
    func headerNameWithNUL() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer()
        let refused = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, value: "x", headers: [RecordHeader(key: "trace\0id", value: "1")]))
        }
        #expect(refused?.code == .invalidRecord)
        #expect(refused?.topic == topic)
        let headers = [RecordHeader(key: "trace-id", value: "1"), RecordHeader(key: "empty", value: []), RecordHeader(key: "null", value: nil)]
        #expect(try await producer.send(ProducerRecord(topic: topic, value: "ok", headers: headers)).offset == 0)
        await producer.close()

        let consumer = try cluster.assignedConsumer(topic)
        let records = try await readRecords(consumer, count: 1)
        #expect(records.map(\.value) == ["ok"])
        #expect(records.first?.headers == headers)
        await consumer.close()
    }

    @Test("a configuration value or name with a NUL is refused, naming the property")
    func configurationWithNUL() {
        var configuration = ProducerConfiguration(bootstrapServers: ["localhost:9092"])
        configuration.properties["client.id"] = "billing\0evil"
        let refused = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string)
        }
        #expect(refused?.code == .invalidConfiguration)
        #expect(refused?.property == "client.id")
    }

    @Test("a commit whose offset metadata is empty is accepted and read back")
    func emptyCommitMetadata() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(3)
        let partition = TopicPartition(topic: topic, partition: 0)
        let consumer = try cluster.assignedConsumer(topic)
        #expect(try pollRecords(consumer, count: 3).count == 3)
        try consumer.commitSync([TopicPartitionOffset(partition, offset: 3, metadata: "")])
        try await consumer.commit([TopicPartitionOffset(partition, offset: 2, metadata: "")])
        #expect(try consumer.committed([partition]) == [partition: 2])
        await consumer.close()
    }
}
