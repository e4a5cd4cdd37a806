import RdKafka
import RdKafkaAvro

/// Avro records in Confluent's wire format (or with the schema id in a header) read back as
/// generic ``AvroValue``s or your `Decodable` types.
///
/// Each record names its writer's schema; it is fetched from the registry once per id and
/// resolved against the reader schema you give (Avro schema resolution: defaults for new
/// fields, skipped removed fields, promotions), so records written by older and newer
/// producers read as one type. The first record of an unseen schema id blocks its calling
/// thread for one registry round trip; ``prepare(ids:)`` fetches known ids ahead.
public struct AvroDeserializer<Value: Sendable>: Deserializer, Sendable {
    /// The schema records are read as; `nil` reads each with its writer's schema.
    public let readerSchema: AvroSchema?
    let locator: SchemaLocator
    let readers = SchemaIDCache<AvroReader>()
    let decode: @Sendable (UnsafeRawBufferPointer, AvroReader) throws -> Value

    /// Generic values, read with `readerSchema` (or, if `nil`, the writer's own schema).
    public init(registry: SchemaRegistryClient, readerSchema: AvroSchema? = nil, isKey: Bool = false) where Value == AvroValue {
        self.init(registry: registry, readerSchema: readerSchema, isKey: isKey) { try $1.decode($0) }
    }

    /// `Decodable` values, read with `readerSchema`, the schema your type was written for.
    public init(registry: SchemaRegistryClient, readerSchema: AvroSchema, isKey: Bool = false) where Value: Decodable {
        self.init(registry: registry, readerSchema: readerSchema, isKey: isKey) { try AvroDecoder().decode(Value.self, from: $0, using: $1) }
    }

    private init(
        registry: SchemaRegistryClient,
        readerSchema: AvroSchema?,
        isKey: Bool,
        decode: @escaping @Sendable (UnsafeRawBufferPointer, AvroReader) throws -> Value
    ) {
        self.readerSchema = readerSchema
        self.decode = decode
        locator = SchemaLocator(registry: registry, isKey: isKey, hasMessageIndexes: false)
    }

    /// Fetches the schemas with these ids now, so that their first records do not wait.
    public func prepare(ids: [Int32]) async throws(SchemaRegistryError) {
        for id in ids { _ = try await locator.registry.schema(id: id) }
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> Value {
        try deserialize(bytes, topic: topic, headers: [])
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String, headers: [RecordHeader]) throws -> Value {
        let (framing, payload) = try locator.locate(bytes, headers: headers)
        let reader = try reader(for: framing.schemaID)
        do {
            return try decode(payload, reader)
        } catch {
            throw SchemaRegistryError(.serialization, "record written with schema \(framing.schemaID): \(error)", underlyingError: error)
        }
    }

    private func reader(for id: SchemaID) throws -> AvroReader {
        if let reader = readers.cached(id) { return reader }
        let schema = try locator.schema(id)
        guard schema.type == .avro else {
            throw SchemaRegistryError(.invalidSchema, "schema \(id) is \(schema.type.rawValue), not Avro")
        }
        let reader: AvroReader
        do {
            let writer = try AvroSchema(parsing: schema.text)
            reader = try readerSchema.map { try AvroReader(writer: writer, reader: $0) } ?? AvroReader(schema: writer)
        } catch {
            throw SchemaRegistryError(.invalidSchema, "schema \(id) cannot be read as the reader schema: \(error)", underlyingError: error)
        }
        readers.remember(reader, for: id)
        return reader
    }
}

