import Foundation
import NIOCore
import NIOPosix
import RdKafka
import RdKafkaAvro
import RdKafkaSchemaRegistry
import Testing

@Suite("Avro serdes through a broker")
struct AvroSerdeTests {
    @Test("generic values: prepared serializer registers once, records carry the id, consumed back equal")
    func genericRoundTrip() async throws {
        let (registry, cluster, topic) = try await RegistryFixture.startWithTopic()
        let serializer = AvroSerializer<AvroValue>(registry: registry.client, schema: try CustomerSchemas.v1)
        try await serializer.prepare(topics: [topic])
        let requestsAfterPrepare = registry.server.requestCount

        let values: [AvroValue] = (1...5).map { number in
            .record(["id": .long(Int64(number)), "name": .string("customer \(number)"), "faxNumber": number.isMultiple(of: 2) ? .union(branch: 1, value: .string("+1-555-\(number)")) : .union(branch: 0, value: .null)])
        }
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: serializer)
        for value in values { try await producer.send(ProducerRecord(topic: topic, key: "k", value: value)) }
        await producer.close()
        #expect(registry.server.requestCount == requestsAfterPrepare, "no registry request per record")

        let raw = try await cluster.read(topic, count: 5, keyDeserializer: .string, valueDeserializer: .bytes)
        let registered = try await registry.client.lookUp(Schema(CustomerSchemas.v1Text), subject: "\(topic)-value")
        for record in raw {
            #expect(record.value.prefix(5) == [0] + withUnsafeBytes(of: registered.id.bigEndian) { Array($0) })
        }

        let consumed = try await cluster.read(topic, count: 5, keyDeserializer: .string, valueDeserializer: AvroDeserializer<AvroValue>(registry: registry.client))
        #expect(consumed.map(\.value) == values)
        try await registry.stop()
    }

    @Test("Codable values, with the schema id in a header instead of the payload")
    func codableInHeader() async throws {
        let (registry, cluster, topic) = try await RegistryFixture.startWithTopic()
        let serializer = AvroSerializer<CustomerV2>(
            registry: registry.client,
            schema: try CustomerSchemas.v2,
            options: SchemaSerializerOptions(schemaIDLocation: .header)
        )
        let customers = [CustomerV2(id: 1, name: "Ada", email: "ada@example.com"), CustomerV2(id: 2, name: "Grace", email: "grace@example.com")]
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: serializer)
        // Not prepared: the first send resolves the id itself.
        for customer in customers { try await producer.send(ProducerRecord(topic: topic, key: "\(customer.id)", value: customer)) }
        await producer.close()

        let raw = try await cluster.read(topic, count: 2, keyDeserializer: .string, valueDeserializer: .bytes)
        let header = try #require(raw[0].headers.lastValue(forKey: ConfluentWireFormat.valueSchemaIDHeader) ?? nil)
        #expect(header.first == ConfluentWireFormat.guidMagicByte)
        #expect(raw[0].value == (try AvroEncoder().encode(customers[0], schema: try CustomerSchemas.v2)), "the payload is the bare Avro encoding")

        let consumed = try await cluster.read(
            topic, count: 2, keyDeserializer: .string,
            valueDeserializer: AvroDeserializer<CustomerV2>(registry: registry.client, readerSchema: try CustomerSchemas.v2)
        )
        #expect(consumed.map(\.value) == customers)
        try await registry.stop()
    }

    @Test("auto-registration off: an unregistered schema is a typed error at send; record strategies name the subject")
    func autoRegisterOffAndStrategies() async throws {
        let (registry, cluster, topic) = try await RegistryFixture.startWithTopic()
        let strict = AvroSerializer<CustomerV1>(
            registry: registry.client, schema: try CustomerSchemas.v1,
            options: SchemaSerializerOptions(subjectNameStrategy: .recordName, autoRegister: false)
        )
        let error = await #expect(throws: SchemaRegistryError.self) { try await strict.prepare(topics: [topic]) }
        #expect(error?.kind == .schemaNotRegistered)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: strict)
        let sendError = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, key: "1", value: CustomerV1(id: 1, name: "Ada", faxNumber: nil)))
        }
        #expect(sendError?.code == .valueSerialization)

        _ = try await registry.client.register(Schema(CustomerSchemas.v1Text), subject: "com.example.Customer")
        try await producer.send(ProducerRecord(topic: topic, key: "1", value: CustomerV1(id: 1, name: "Ada", faxNumber: nil)))
        await producer.close()

        let topicRecord = AvroSerializer<CustomerV1>(
            registry: registry.client, schema: try CustomerSchemas.v1,
            options: SchemaSerializerOptions(subjectNameStrategy: .topicRecordName)
        )
        try await topicRecord.prepare(topics: [topic])
        #expect(Set(try await registry.client.subjects()) == ["com.example.Customer", "\(topic)-com.example.Customer"])

        let consumed = try await cluster.read(
            topic, count: 1, keyDeserializer: .string,
            valueDeserializer: AvroDeserializer<CustomerV1>(registry: registry.client, readerSchema: try CustomerSchemas.v1)
        )
        #expect(consumed.first?.value == CustomerV1(id: 1, name: "Ada", faxNumber: nil))
        try await registry.stop()
    }

    @Test("a record without the framing, or with an unknown schema id, is a deserialization error naming the record")
    func badRecords() async throws {
        let (registry, cluster, topic) = try await RegistryFixture.startWithTopic()
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .bytes)
        try await producer.send(ProducerRecord(topic: topic, partition: 0, key: "plain", value: Array("not avro".utf8)))
        try await producer.send(ProducerRecord(topic: topic, partition: 0, key: "unknown", value: [0, 0, 0, 0x30, 0x39, 2]))
        await producer.close()

        let consumer = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(), keyDeserializer: .string,
            valueDeserializer: AvroDeserializer<AvroValue>(registry: registry.client)
        )
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        var errors: [KafkaError] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while errors.count < 2, ContinuousClock.now < deadline {
            do { _ = try consumer.poll(timeout: .milliseconds(100)) } catch { errors.append(error) }
        }
        await consumer.close()
        try #require(errors.count == 2)
        #expect(errors.allSatisfy { $0.code == .valueDeserialization })
        #expect((errors[0].underlyingError as? SchemaRegistryError)?.kind == .invalidWireFormat)
        #expect((errors[1].underlyingError as? SchemaRegistryError)?.registryErrorCode == 40403)
        try await registry.stop()
    }

    @Test("on an event loop thread an unprepared serde refuses to block; prepared, it needs no request")
    func eventLoopNeverBlocks() async throws {
        let registry = try await RegistryFixture.start()
        let serializer = AvroSerializer<CustomerV1>(registry: registry.client, schema: try CustomerSchemas.v1)
        let customer = CustomerV1(id: 1, name: "Ada", faxNumber: nil)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let refused = await #expect(throws: SchemaRegistryError.self) {
            try await eventLoop.submit { try serializer.serialize(customer, topic: "customers") }.get()
        }
        #expect(refused?.kind == .wouldBlock)

        try await serializer.prepare(topics: ["customers"])
        let requests = registry.server.requestCount
        let bytes = try #require(try await eventLoop.submit { try serializer.serialize(customer, topic: "customers") }.get())
        #expect(bytes.first == 0)
        #expect(registry.server.requestCount == requests)

        let registered = try await registry.client.lookUp(Schema(CustomerSchemas.v1Text), subject: "customers-value")
        let deserializer = AvroDeserializer<CustomerV1>(registry: SchemaRegistryClient(configuration: .init(url: registry.server.url)), readerSchema: try CustomerSchemas.v1)
        try await deserializer.prepare(ids: [registered.id])
        let read = try await eventLoop.submit { try bytes.withUnsafeBytes { try deserializer.deserialize($0, topic: "customers", headers: []) } }.get()
        #expect(read == customer)
        try await registry.stop()
    }
}
