import Foundation
import RdKafka
import Testing

@Suite("Producer: what a record carries")
struct ProducerRoundTripTests {
    struct Order: Codable, Equatable, Sendable {
        var id: String
        var amount: Int
    }

    @Test("headers (ordered, repeated, null), null keys, empty values and timestamps round-trip")
    func recordContents() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(keySerializer: .bytes, valueSerializer: .bytes)
        let headers = [
            RecordHeader(key: "trace", value: "abc"),
            RecordHeader(key: "trace", value: "def"),
            RecordHeader(key: "empty", value: []),
            RecordHeader(key: "null", value: nil),
        ]
        let timestamp = KafkaTimestamp(millisecondsSinceEpoch: 1_700_000_000_123)
        try await producer.send(ProducerRecord(topic: topic, key: [1, 2, 3], value: [9, 8, 7], timestamp: timestamp, headers: headers))
        try await producer.send(ProducerRecord(topic: topic, key: nil, value: [42]))
        try await producer.send(ProducerRecord(topic: topic, key: [], value: []))
        await producer.close()

        let records = try RawConsumer.readAll(topic: topic, count: 3, bootstrapServers: cluster.bootstrapServers)
        try #require(records.count == 3)
        #expect(records[0].key == [1, 2, 3])
        #expect(records[0].value == [9, 8, 7])
        #expect(records[0].timestamp == timestamp.millisecondsSinceEpoch)
        #expect(records[0].headers == headers)
        #expect(records[1].key == nil, "a nil key is sent as a null key")
        #expect(records[1].headers.isEmpty)
        #expect(records[2].key == [] || records[2].key == nil)
        #expect(records[2].value == [] || records[2].value == nil)
    }

    @Test("null values (tombstones) through .optional, and JSON values")
    func tombstonesAndJSON() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(keySerializer: .string, valueSerializer: .optional(.json(Order.self)))
        let order = Order(id: "o-1", amount: 42)
        try await producer.send(ProducerRecord(topic: topic, key: "o-1", value: order))
        try await producer.send(ProducerRecord(topic: topic, key: "o-1", value: nil))
        await producer.close()

        let records = try RawConsumer.readAll(topic: topic, count: 2, bootstrapServers: cluster.bootstrapServers)
        try #require(records.count == 2)
        #expect(try JSONDecoder().decode(Order.self, from: Data(records[0].value!)) == order)
        #expect(records[1].value == nil, "nil is sent as a null value")
        #expect(records[1].key == Array("o-1".utf8))
    }

    @Test("big-endian numbers are written as the Java client writes them")
    func numbers() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(keySerializer: .int32, valueSerializer: .double)
        try await producer.send(ProducerRecord(topic: topic, key: 0x0102_0304, value: 1.5))
        await producer.close()
        let records = try RawConsumer.readAll(topic: topic, count: 1, bootstrapServers: cluster.bootstrapServers)
        #expect(records.first?.key == [1, 2, 3, 4])
        #expect(records.first?.value == [0x3F, 0xF8, 0, 0, 0, 0, 0, 0])
    }
}
