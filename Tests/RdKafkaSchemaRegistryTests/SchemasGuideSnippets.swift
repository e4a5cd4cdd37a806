import Foundation
import RdKafka
import RdKafkaAvro
import RdKafkaSchemaRegistry

// The code of docs/schemas.md's "Schema Registry" section, kept compiling. These functions
// are never called: they need a real registry and broker (CustomerEvolutionTests runs the
// same story in-process). If they stop compiling, fix the guide too.

private struct CustomerKey: Codable, Sendable { var id: Int64 }
private struct Order: Codable, Sendable {
    var id: String
    var amount: Int
}

private func customerThroughKafka(customerV1: AvroSchema, customerV2: AvroSchema) async throws {
    let registry = SchemaRegistryClient(configuration: .init(url: "http://localhost:8081"))

    let v1Serializer = AvroSerializer<CustomerV1>(registry: registry, schema: customerV1)
    try await v1Serializer.prepare(topics: ["customers"])
    let producer = try KafkaProducer(
        configuration: .init(bootstrapServers: ["localhost:9092"]),
        keySerializer: .string,
        valueSerializer: v1Serializer
    )
    try await producer.send(ProducerRecord(topic: "customers", key: "7", value: CustomerV1(id: 7, name: "Ada", faxNumber: "555-0100")))
    await producer.close()

    guard try await registry.isCompatible(Schema(customerV2.json), subject: "customers-value") else { return }
    let v2Serializer = AvroSerializer<CustomerV2>(registry: registry, schema: customerV2)
    try await v2Serializer.prepare(topics: ["customers"])

    let consumer = try KafkaConsumer(
        configuration: .init(bootstrapServers: ["localhost:9092"], groupID: "mailing", autoOffsetReset: .earliest),
        keyDeserializer: .string,
        valueDeserializer: AvroDeserializer<CustomerV2>(registry: registry, readerSchema: customerV2)
    )
    try consumer.subscribe(topics: ["customers"])
    for try await record in consumer.records {
        print(record.value.email)
    }
}

private func serializerOptions(registry: SchemaRegistryClient, keySchema: AvroSchema) {
    let options = SchemaSerializerOptions(
        subjectNameStrategy: .topicName,
        autoRegister: false,
        schemaIDLocation: .payload
    )
    let keySerializer = AvroSerializer<CustomerKey>(registry: registry, schema: keySchema, isKey: true, options: options)
    _ = keySerializer
}

private func protobufAndJSON(registry: SchemaRegistryClient, greetingProto: String, orderJSONSchema: String) {
    let greetings = ProtobufSerializer<Greeting>(registry: registry, schema: Schema(greetingProto, type: .protobuf))
    let greetingReader = ProtobufDeserializer<Greeting>(registry: registry)
    let orders = JSONSchemaSerializer<Order>(registry: registry, schema: orderJSONSchema)
    let orderReader = JSONSchemaDeserializer<Order>(registry: registry, validate: true)
    _ = (greetings, greetingReader, orders, orderReader)
}

private func jsonSchemaValidation(orders: JSONSchemaSerializer<Order>, text: String, document: String) throws {
    do {
        _ = try orders.serialize(Order(id: "o-1", amount: -5), topic: "orders")
    } catch let error as SchemaRegistryError {
        if let failure = error.underlyingError as? JSONSchemaValidationError {
            print(failure.instancePath, failure.keyword)
        }
    }
    try JSONSchemaValidator(schema: text).validate(json: document)
}

private func registryClient(apiKey: String, apiSecret: String, customerV1: AvroSchema, customerV2: AvroSchema) async throws {
    let registry = SchemaRegistryClient(configuration: .init(
        url: "https://registry.example.com",
        authentication: .basic(username: apiKey, password: apiSecret),
        tlsConfiguration: nil,
        requestTimeout: .seconds(10)
    ))
    let registered = try await registry.register(Schema(customerV1.json), subject: "customers-value")
    let schema = try await registry.schema(id: registered.id)
    let latest = try await registry.latestVersion(subject: "customers-value")
    let first = try await registry.version(1, subject: "customers-value")
    let versions = try await registry.versions(subject: "customers-value")
    let compatible = try await registry.isCompatible(Schema(customerV2.json), subject: "customers-value")
    _ = (schema, latest, first, versions, compatible)
}
