import Foundation
import RdKafka
import RdKafkaSchemaRegistry
import Testing

@Suite("Protobuf and JSON Schema serdes through a broker")
struct ProtobufAndJSONSchemaSerdeTests {
    @Test("Protobuf: registered as PROTOBUF, framed with the id and message indexes, consumed back equal")
    func protobuf() async throws {
        let (registry, cluster, topic) = try await RegistryFixture.startWithTopic()
        let serializer = ProtobufSerializer<Greeting>(registry: registry.client, schema: Schema(Greeting.proto, type: .protobuf))
        try await serializer.prepare(topics: [topic])
        let greetings = [Greeting(text: "hello", count: 1), Greeting(text: "world", count: 300)]
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: serializer)
        for greeting in greetings { try await producer.send(ProducerRecord(topic: topic, key: greeting.text, value: greeting)) }
        await producer.close()

        let registered = try await registry.client.latestVersion(subject: "\(topic)-value")
        #expect(registered.schema.type == .protobuf)
        let raw = try await cluster.read(topic, count: 2, keyDeserializer: .string, valueDeserializer: .bytes)
        #expect(raw[0].value.prefix(6) == [0] + withUnsafeBytes(of: registered.id.bigEndian) { Array($0) } + [0])
        #expect(Array(raw[0].value.dropFirst(6)) == (try greetings[0].serializedBytes() as [UInt8]))

        let consumed = try await cluster.read(topic, count: 2, keyDeserializer: .string, valueDeserializer: ProtobufDeserializer<Greeting>(registry: registry.client))
        #expect(consumed.map(\.value) == greetings)
        try await registry.stop()
    }

    struct Order: Codable, Equatable, Sendable {
        var id: String
        var amount: Int
    }

    @Test("JSON Schema: registered as JSON, framed with the id, validated both ways, consumed back equal")
    func jsonSchema() async throws {
        let (registry, cluster, topic) = try await RegistryFixture.startWithTopic()
        let schema = #"{"$schema": "http://json-schema.org/draft-07/schema#", "title": "Order", "type": "object", "properties": {"id": {"type": "string"}, "amount": {"type": "integer"}}}"#
        let serializer = JSONSchemaSerializer<Order>(registry: registry.client, schema: schema, options: SchemaSerializerOptions(subjectNameStrategy: .recordName))
        let orders = [Order(id: "o-1", amount: 10), Order(id: "o-2", amount: 20)]
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: serializer)
        for order in orders { try await producer.send(ProducerRecord(topic: topic, key: order.id, value: order)) }
        await producer.close()

        let registered = try await registry.client.latestVersion(subject: "Order")
        #expect(registered.schema.type == .json)
        let raw = try await cluster.read(topic, count: 2, keyDeserializer: .string, valueDeserializer: .bytes)
        #expect(raw[0].value.first == 0)
        #expect(try JSONDecoder().decode(Order.self, from: Data(raw[0].value.dropFirst(5))) == orders[0])

        let consumed = try await cluster.read(topic, count: 2, keyDeserializer: .string, valueDeserializer: JSONSchemaDeserializer<Order>(registry: registry.client, validate: true))
        #expect(consumed.map(\.value) == orders)
        try await registry.stop()
    }
}
