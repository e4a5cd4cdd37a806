import RdKafka
import RdKafkaAvro
import RdKafkaSchemaRegistry
import Testing

/// The seeds' Customer evolution end to end: a v1 producer, then the schema evolves
/// (`faxNumber` removed, `email` added with a default) and a v2 producer writes to the same
/// topic; consumers on either version read every record.
@Suite("Customer schema evolution through the registry and a broker")
struct CustomerEvolutionTests {
    @Test("old and new producers, old and new consumers, one topic")
    func evolution() async throws {
        let (registry, cluster, topic) = try await RegistryFixture.startWithTopic(topicPrefix: "customers")

        let v1Serializer = AvroSerializer<CustomerV1>(registry: registry.client, schema: try CustomerSchemas.v1)
        try await v1Serializer.prepare(topics: [topic])
        let v1Producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: v1Serializer)
        try await v1Producer.send(ProducerRecord(topic: topic, key: "1", value: CustomerV1(id: 1, name: "Ada", faxNumber: "+44 20 7946 0000")))
        await v1Producer.close()

        // The evolved schema is checked, then registered as version 2 of the same subject.
        #expect(try await registry.client.isCompatible(Schema(CustomerSchemas.v2Text), subject: "\(topic)-value"))
        let v2Serializer = AvroSerializer<CustomerV2>(registry: registry.client, schema: try CustomerSchemas.v2)
        try await v2Serializer.prepare(topics: [topic])
        #expect(try await registry.client.versions(subject: "\(topic)-value") == [1, 2])
        let v2Producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: v2Serializer)
        try await v2Producer.send(ProducerRecord(topic: topic, key: "2", value: CustomerV2(id: 2, name: "Grace", email: "grace@example.com")))
        await v2Producer.close()

        // A new consumer: the fax number is dropped, the old record gets the default email.
        let asV2 = try await cluster.read(
            topic, count: 2, keyDeserializer: .string,
            valueDeserializer: AvroDeserializer<CustomerV2>(registry: registry.client, readerSchema: try CustomerSchemas.v2)
        )
        #expect(asV2.map(\.value) == [
            CustomerV2(id: 1, name: "Ada", email: "unknown"),
            CustomerV2(id: 2, name: "Grace", email: "grace@example.com"),
        ])

        // An old consumer: the email is skipped, the new record has no fax number.
        let asV1 = try await cluster.read(
            topic, count: 2, keyDeserializer: .string,
            valueDeserializer: AvroDeserializer<CustomerV1>(registry: registry.client, readerSchema: try CustomerSchemas.v1)
        )
        #expect(asV1.map(\.value) == [
            CustomerV1(id: 1, name: "Ada", faxNumber: "+44 20 7946 0000"),
            CustomerV1(id: 2, name: "Grace", faxNumber: nil),
        ])

        // A generic consumer sees each record as its writer wrote it.
        let generic = try await cluster.read(topic, count: 2, keyDeserializer: .string, valueDeserializer: AvroDeserializer<AvroValue>(registry: registry.client))
        #expect(generic[0].value.recordValue?["faxNumber"] != nil)
        #expect(generic[1].value.recordValue?["email"] == .string("grace@example.com"))
        try await registry.stop()
    }
}

extension AvroValue {
    var recordValue: AvroRecord? {
        if case .record(let record) = self { return record }
        return nil
    }
}
