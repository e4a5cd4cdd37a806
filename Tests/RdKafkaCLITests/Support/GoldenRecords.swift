import RdKafka

/// Four records covering what the output formats must render: a key and headers (one
/// without a value), no key with characters JSON escapes, a value that is not UTF-8, and a
/// tombstone. Sent through the library with fixed timestamps, so output is exact.
enum GoldenRecords {
    static let firstTimestamp: Int64 = 1_700_000_000_000

    static func records(topic: String) -> [ProducerRecord<[UInt8], [UInt8]?>] {
        [
            record(topic, key: "k1", value: Array("hello".utf8), headers: [RecordHeader(key: "h1", value: "v1"), RecordHeader(key: "h2", value: nil)], offset: 0),
            record(topic, key: nil, value: Array("with\ttab \"quoted\"".utf8), headers: [], offset: 1),
            record(topic, key: "k3", value: [0xFF, 0xFE], headers: [], offset: 2),
            record(topic, key: "k4", value: nil, headers: [], offset: 3),
        ]
    }

    private static func record(_ topic: String, key: String?, value: [UInt8]?, headers: [RecordHeader], offset: Int64) -> ProducerRecord<[UInt8], [UInt8]?> {
        ProducerRecord(
            topic: topic,
            partition: 0,
            key: key.map { Array($0.utf8) },
            value: value,
            timestamp: KafkaTimestamp(millisecondsSinceEpoch: firstTimestamp + offset),
            headers: headers
        )
    }

    /// Creates a topic (kept forever: the timestamps are old) holding the golden records.
    static func topic(on cluster: TestCluster) async throws -> String {
        let topic = try cluster.createTopic("golden", configs: ["retention.ms": "-1"])
        let producer = try KafkaProducer(
            configuration: ProducerConfiguration(bootstrapServers: cluster.bootstrapServers, acks: .all),
            keySerializer: .bytes,
            valueSerializer: .optional(.bytes)
        )
        do {
            for record in records(topic: topic) { try await producer.send(record) }
        } catch {
            await producer.close()
            throw error
        }
        await producer.close()
        return topic
    }
}
