import RdKafka
import RdKafkaAvro

/// Avro values (generic ``AvroValue`` or your `Encodable` types) in Confluent's wire format,
/// with the schema registered in a schema registry.
///
/// Serializing is synchronous, as every ``Serializer`` is. The schema's id is asked of the
/// registry once per subject and cached: call ``prepare(topics:)`` before sending so that
/// no send waits for the registry. Without it, the first record for a subject blocks its
/// calling thread for one registry round trip (at most the client's request timeout), as
/// the Java serializer does; on an event loop thread that is refused with
/// ``SchemaRegistryError/Kind/wouldBlock``.
public struct AvroSerializer<Value: Sendable>: Serializer, RegistryFramedSerializer, Sendable {
    public let schema: AvroSchema
    let resolver: SchemaIDResolver
    let encode: @Sendable (Value, AvroSchema) throws -> [UInt8]

    /// Generic values, encoded with `schema`.
    public init(
        registry: SchemaRegistryClient,
        schema: AvroSchema,
        isKey: Bool = false,
        options: SchemaSerializerOptions = SchemaSerializerOptions()
    ) where Value == AvroValue {
        self.init(registry: registry, schema: schema, isKey: isKey, options: options) { try $1.encode($0) }
    }

    /// `Encodable` values, encoded with `schema` by ``AvroEncoder``.
    public init(
        registry: SchemaRegistryClient,
        schema: AvroSchema,
        isKey: Bool = false,
        options: SchemaSerializerOptions = SchemaSerializerOptions()
    ) where Value: Encodable {
        self.init(registry: registry, schema: schema, isKey: isKey, options: options) { try AvroEncoder().encode($0, schema: $1) }
    }

    private init(
        registry: SchemaRegistryClient,
        schema: AvroSchema,
        isKey: Bool,
        options: SchemaSerializerOptions,
        encode: @escaping @Sendable (Value, AvroSchema) throws -> [UInt8]
    ) {
        self.schema = schema
        self.encode = encode
        resolver = SchemaIDResolver(
            registry: registry,
            schema: Schema(schema.json, type: .avro),
            recordName: schema.fullName,
            isKey: isKey,
            options: options,
            messageIndexes: nil
        )
    }

    /// Registers (or, with auto-registration off, looks up) the schema for `topics` now.
    public func prepare(topics: [String]) async throws(SchemaRegistryError) {
        try await resolver.prepare(topics: topics)
    }

    public func serialize(_ value: Value, topic: String, headers: inout [RecordHeader]) throws -> [UInt8]? {
        try resolver.serialize(topic: topic, headers: &headers) { try encode(value, schema) }
    }
}
