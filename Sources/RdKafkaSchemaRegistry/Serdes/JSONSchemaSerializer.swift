import Foundation
import RdKafka

/// `Encodable` values as JSON in Confluent's wire format, with a JSON Schema registered for
/// them (`schemaType` `JSON`).
///
/// It does not validate values against the JSON Schema: no JSON Schema validator is part of
/// this package. The schema is registered (so the registry's compatibility rules apply to
/// its evolution) and its id framed with each record, so Confluent's JSON Schema
/// deserializers can read them. Resolution and blocking behave as ``AvroSerializer``'s.
public struct JSONSchemaSerializer<Value: Encodable>: Serializer, @unchecked Sendable {
    // @unchecked: the encoder is configured in init and only read afterwards.
    private let encoder: JSONEncoder
    let resolver: SchemaIDResolver

    /// - Parameter recordName: the name the record and topic-record strategies use,
    ///   by default the schema's `title`.
    public init(
        registry: SchemaRegistryClient,
        schema: String,
        recordName: String? = nil,
        isKey: Bool = false,
        options: SchemaSerializerOptions = SchemaSerializerOptions(),
        encoder: JSONEncoder = JSONEncoder()
    ) {
        self.encoder = encoder
        let title = (try? JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any])?["title"] as? String
        resolver = SchemaIDResolver(
            registry: registry,
            schema: Schema(schema, type: .json),
            recordName: recordName ?? title,
            isKey: isKey,
            options: options,
            messageIndexes: nil
        )
    }

    /// Registers (or looks up) the schema for `topics` now.
    public func prepare(topics: [String]) async throws(SchemaRegistryError) {
        try await resolver.prepare(topics: topics)
    }

    public var writesHeaders: Bool { resolver.options.schemaIDLocation == .header }

    public func serialize(_ value: Value, topic: String) throws -> [UInt8]? {
        var headers: [RecordHeader] = []
        return try serialize(value, topic: topic, headers: &headers)
    }

    public func serialize(_ value: Value, topic: String, headers: inout [RecordHeader]) throws -> [UInt8]? {
        let payload: [UInt8]
        do {
            payload = Array(try encoder.encode(value))
        } catch {
            throw SchemaRegistryError(.serialization, "\(error)", underlyingError: error)
        }
        return try resolver.frame(payload, topic: topic, headers: &headers)
    }
}

/// `Decodable` values from JSON in Confluent's wire format. The framing is checked and
/// skipped; the JSON is decoded as `Value` without validation against the schema.
public struct JSONSchemaDeserializer<Value: Decodable>: Deserializer, @unchecked Sendable {
    // @unchecked: the decoder is only read after init.
    private let decoder: JSONDecoder
    let locator: SchemaLocator

    public init(registry: SchemaRegistryClient, isKey: Bool = false, decoder: JSONDecoder = JSONDecoder()) {
        self.decoder = decoder
        locator = SchemaLocator(registry: registry, isKey: isKey, hasMessageIndexes: false)
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> Value {
        try deserialize(bytes, topic: topic, headers: [])
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String, headers: [RecordHeader]) throws -> Value {
        let (_, payload) = try locator.locate(bytes, headers: headers)
        do {
            return try decoder.decode(Value.self, from: Data(payload))
        } catch {
            throw SchemaRegistryError(.serialization, "\(error)", underlyingError: error)
        }
    }
}
