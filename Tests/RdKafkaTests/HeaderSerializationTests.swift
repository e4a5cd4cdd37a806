import RdKafka
import Testing

/// Serializers that carry part of their format in a header, as a schema id in
/// `__value_schema_id` does: the producer passes them the record's headers to append to,
/// the consumer passes its deserializers the headers it read.
@Suite("Serializers that read and write headers")
struct HeaderSerializationTests {
    /// Writes the text's encoding name in a header and the text in that encoding.
    struct TaggedTextSerializer: Serializer {
        var writesHeaders: Bool { true }

        func serialize(_ value: String, topic: String) throws -> [UInt8]? {
            throw SerializationError("only the headers variant is used")
        }

        func serialize(_ value: String, topic: String, headers: inout [RecordHeader]) throws -> [UInt8]? {
            headers.append(RecordHeader(key: "encoding", value: "utf16be"))
            return value.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        }
    }

    /// Reads what ``TaggedTextSerializer`` wrote, refusing records without the header.
    struct TaggedTextDeserializer: Deserializer {
        func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> String {
            throw SerializationError("no encoding header")
        }

        func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String, headers: [RecordHeader]) throws -> String {
            guard headers.lastValue(forKey: "encoding") == .some(Array("utf16be".utf8)) else {
                throw SerializationError("no encoding header")
            }
            let units = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            return String(decoding: units, as: UTF16.self)
        }
    }

    @Test("a header written by the value serializer reaches the value deserializer, after the record's own headers")
    func roundTrip() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let producer = try KafkaProducer(
            configuration: cluster.producerConfiguration(),
            keySerializer: .string,
            valueSerializer: .optional(TaggedTextSerializer())
        )
        try await producer.send(ProducerRecord(topic: topic, key: "k1", value: "grüße", headers: [RecordHeader(key: "trace", value: "t1")]))
        try await producer.send(ProducerRecord(topic: topic, key: "k2", value: nil))
        await producer.close()

        let consumer = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(),
            keyDeserializer: .string,
            valueDeserializer: .optional(TaggedTextDeserializer())
        )
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        let records = try await readRecords(consumer, count: 2)
        await consumer.close()

        #expect(records.map(\.key) == ["k1", "k2"])
        #expect(records[0].value == "grüße")
        #expect(records[0].headers == [RecordHeader(key: "trace", value: "t1"), RecordHeader(key: "encoding", value: "utf16be")])
        #expect(records[1].value == nil, "a nil value is still a null, with no header added")
        #expect(records[1].headers.isEmpty)
    }

    @Test("serializers that do not write headers leave the record's headers as sent")
    func plainSerializersLeaveHeaders() throws {
        #expect(!StringSerializer().writesHeaders)
        #expect(!OptionalSerializer(StringSerializer()).writesHeaders)
        #expect(OptionalSerializer(TaggedTextSerializer()).writesHeaders)
        var headers = [RecordHeader(key: "a", value: "b")]
        let bytes = try StringSerializer().serialize("x", topic: "t", headers: &headers)
        #expect(bytes == Array("x".utf8))
        #expect(headers == [RecordHeader(key: "a", value: "b")])
    }
}
