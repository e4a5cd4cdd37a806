import Foundation
import RdKafka
import Synchronization
import Testing

/// Adds a header and upper-cases the value; counts what it sees.
private struct Stamping: ProducerInterceptor {
    let box: Box

    final class Box: Sendable {
        let results = Guarded<[Result<RecordMetadata, KafkaError>]>([])
    }

    func onSend(_ record: ProducerRecord<String, String>) throws -> ProducerRecord<String, String> {
        var record = record
        record.value = record.value.uppercased()
        record.headers.append(RecordHeader(key: "stamped", value: Array("yes".utf8)))
        return record
    }

    func onAcknowledgement(_ result: Result<RecordMetadata, KafkaError>) throws {
        box.results.withLock { $0.append(result) }
    }
}

/// Fails everywhere: its errors must be logged and must not stop anything.
private struct Failing<Key: Sendable, Value: Sendable>: ProducerInterceptor {
    struct Broken: Error {}
    func onSend(_ record: ProducerRecord<Key, Value>) throws -> ProducerRecord<Key, Value> { throw Broken() }
    func onAcknowledgement(_ result: Result<RecordMetadata, KafkaError>) throws { throw Broken() }
}

/// Drops records whose value ends in an odd digit; remembers commits.
private struct EvenOnly: ConsumerInterceptor {
    final class Box: Sendable {
        let commits = Guarded<[[TopicPartitionOffset]]>([])
    }

    let box: Box

    func onConsume(_ records: [ConsumerRecord<String, String>]) throws -> [ConsumerRecord<String, String>] {
        records.filter { Int(String($0.value.last!))! % 2 == 0 }
    }

    func onCommit(_ offsets: [TopicPartitionOffset]) throws {
        box.commits.withLock { $0.append(offsets) }
    }
}

@Suite("Interceptors")
struct InterceptorTests {
    @Test("producer interceptors transform records in order, see every acknowledgement, and a failing one is logged and skipped")
    func producerChain() async throws {
        let (logger, logs) = InMemoryLogHandler.logger(level: .warning)
        let box = Stamping.Box()
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(
            topicPrefix: "intercept",
            interceptors: [Failing(), Stamping(box: box), Failing()]
        ) { configuration in
            configuration.logger = logger
        }
        try await producer.send(ProducerRecord(topic: topic, partition: 0, key: "a", value: "first"))
        let pending = try await producer.enqueue(ProducerRecord(topic: topic, partition: 0, key: "b", value: "second"))
        try producer.sendAndForget(ProducerRecord(topic: topic, partition: 0, key: "c", value: "third"))
        _ = try await pending.metadata
        // Refused before it was sent: the interceptors hear of it too.
        await #expect(throws: KafkaError.self) { try await producer.send(ProducerRecord(topic: "", key: "d", value: "refused")) }
        try await producer.flush()
        await producer.close()

        let records = try RawConsumer.readAll(topic: topic, count: 3, bootstrapServers: cluster.bootstrapServers)
        let values: [String] = records.map { String(decoding: $0.value ?? [], as: UTF8.self) }
        #expect(values == ["FIRST", "SECOND", "THIRD"])
        let stamp = [RecordHeader(key: "stamped", value: Array("yes".utf8))]
        #expect(records.allSatisfy { $0.headers == stamp })

        let results = box.results.withLock { $0 }
        #expect(results.count == 4)
        let offsets: [Int64] = results.compactMap { try? $0.get().offset }
        #expect(offsets.sorted() == [0, 1, 2])
        let codes: [KafkaError.Code] = results.compactMap { result in
            if case .failure(let error) = result { return error.code }
            return nil
        }
        #expect(codes == [.invalidRecord])
        let failures = logs.all.filter { $0.message.contains("producer interceptor failed") }
        // Two failing interceptors, four records: each fails in onSend and in onAcknowledgement.
        let expectedFailures = 16
        #expect(failures.count == expectedFailures)
    }

    @Test("consumer interceptors filter batches and hear of commits")
    func consumerChain() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(10, topicPrefix: "intercept-consume")
        let box = EvenOnly.Box()
        let consumer = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(),
            keyDeserializer: .string,
            valueDeserializer: .string,
            interceptors: [EvenOnly(box: box)]
        )
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        var values: [String] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while values.count < 5, ContinuousClock.now < deadline {
            values += try consumer.poll(maxRecords: 10, timeout: .milliseconds(200)).map(\.value)
        }
        #expect(values == ["v0", "v2", "v4", "v6", "v8"])
        try await consumer.commit([TopicPartitionOffset(topic: topic, partition: 0, offset: 10)])
        await consumer.close()
        let commits = box.commits.withLock { $0 }
        #expect(commits.count == 1)
        #expect(commits.first?.map(\.offset) == [10])
    }
}
