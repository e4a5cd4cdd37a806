import Foundation
import RdKafka
import Testing

@Suite("Producer: send modes")
struct ProducerSendTests {
    @Test("async send returns the metadata of the stored record, and it reads back")
    func asyncSend() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 3)
        let producer = try KafkaProducer(
            configuration: cluster.producerConfiguration(),
            keySerializer: .string,
            valueSerializer: .string
        )
        let start = KafkaTimestamp.now.millisecondsSinceEpoch
        var metadata: [RecordMetadata] = []
        for index in 0..<10 {
            let record = ProducerRecord(
                topic: topic, partition: 1, key: "k\(index)", value: "v\(index)",
                timestamp: KafkaTimestamp(millisecondsSinceEpoch: start + Int64(index))
            )
            metadata.append(try await producer.send(record))
        }
        await producer.close()
        #expect(metadata.map(\.offset) == Array(0..<10))
        #expect(metadata.allSatisfy { $0.topic == topic && $0.partition == 1 })

        let records = try RawConsumer.readAll(topic: topic, count: 10, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == (0..<10).map { "v\($0)" })
        #expect(records.map { String(decoding: $0.key ?? [], as: UTF8.self) } == (0..<10).map { "k\($0)" })
        // The create time set on each record is stored as is. (librdkafka 2.0.2's mock
        // answers produce requests with a fixed log-append time, so metadata.timestamp is
        // not compared here.)
        #expect(records.map(\.timestamp) == (0..<10).map { start + Int64($0) })
    }
}
