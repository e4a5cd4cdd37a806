import Foundation
import RdKafka

/// `Encodable` values as JSON in Confluent's wire format, with a JSON Schema registered for
/// them (`schemaType` `JSON`).
///
/// Each value's JSON is validated against the schema before it is sent (as Confluent's
/// Python serializer does; pass `validate: false` to skip it): a value that breaks the
/// schema is refused with a ``SchemaRegistryError/Kind/serialization`` error whose
/// `underlyingError` is the ``JSONSchemaValidationError`` naming the failing value by JSON
/// pointer. ``JSONSchemaValidator`` lists the keywords checked. The schema is registered (so
/// the registry's compatibility rules apply to its evolution) and its id framed with each
/// record. Resolution and blocking behave as ``AvroSerializer``'s.
public struct JSONSchemaSerializer<Value: Encodable>: Serializer, RegistryFramedSerializer, @unchecked Sendable {
    // @unchecked: the encoder is configured in init and only read afterwards.
    private let encoder: JSONEncoder
    let resolver: SchemaIDResolver
    /// `nil` when validation is off; the failure when the schema cannot be used to validate.
    let validator: Result<JSONSchemaValidator, SchemaRegistryError>?

    /// - Parameters:
    ///   - recordName: the name the record and topic-record strategies use, by default the
    ///     schema's `title`.
    ///   - validate: whether each value is checked against `schema` before it is sent. When
    ///     the schema cannot be used to validate (a remote `$ref`, a pattern that does not
    ///     compile), every send fails with ``SchemaRegistryError/Kind/invalidSchema`` until
    ///     validation is turned off.
    public init(
        registry: SchemaRegistryClient,
        schema: String,
        recordName: String? = nil,
        isKey: Bool = false,
        options: SchemaSerializerOptions = SchemaSerializerOptions(),
        encoder: JSONEncoder = JSONEncoder(),
        validate: Bool = true
    ) {
        self.encoder = encoder
        validator = validate ? Result { () throws(SchemaRegistryError) in try JSONSchemaValidator(schema: schema) } : nil
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

    public func serialize(_ value: Value, topic: String, headers: inout [RecordHeader]) throws -> [UInt8]? {
        try resolver.serialize(topic: topic, headers: &headers) {
            let payload = Array(try encoder.encode(value))
            if let validator {
                do {
                    try validator.get().validate(payload)
                } catch let failure as JSONSchemaValidationError {
                    throw SchemaRegistryError(.serialization, "the value does not match its JSON Schema: \(failure)", underlyingError: failure)
                }
            }
            return payload
        }
    }
}

/// `Decodable` values from JSON in Confluent's wire format. The framing is checked and
/// skipped; the JSON is decoded as `Value`.
///
/// With `validate: true` each record's JSON is first checked against the schema it was
/// written with (fetched from the registry once per id, as ``AvroDeserializer`` does); off by
/// default, since the serializer has already validated and checking costs a parse per record.
public struct JSONSchemaDeserializer<Value: Decodable>: Deserializer, @unchecked Sendable {
    // @unchecked: the decoder is only read after init.
    private let decoder: JSONDecoder
    let locator: SchemaLocator
    let validates: Bool
    let validators = SchemaIDCache<JSONSchemaValidator>()

    /// - Parameter validate: whether each record is checked against its writer's schema
    ///   (a record that breaks it fails with ``SchemaRegistryError/Kind/serialization``,
    ///   its `underlyingError` the ``JSONSchemaValidationError``).
    public init(registry: SchemaRegistryClient, isKey: Bool = false, decoder: JSONDecoder = JSONDecoder(), validate: Bool = false) {
        self.decoder = decoder
        validates = validate
        locator = SchemaLocator(registry: registry, isKey: isKey, hasMessageIndexes: false)
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> Value {
        try deserialize(bytes, topic: topic, headers: [])
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String, headers: [RecordHeader]) throws -> Value {
        let (framing, payload) = try locator.locate(bytes, headers: headers)
        if validates {
            do {
                try validator(for: framing.schemaID).validate(Array(payload))
            } catch let failure as JSONSchemaValidationError {
                throw SchemaRegistryError(
                    .serialization, "record written with schema \(framing.schemaID) does not match it: \(failure)", underlyingError: failure
                )
            }
        }
        do {
            return try decoder.decode(Value.self, from: Data(payload))
        } catch {
            throw SchemaRegistryError(.serialization, "\(error)", underlyingError: error)
        }
    }

    private func validator(for id: SchemaID) throws -> JSONSchemaValidator {
        if let validator = validators.cached(id) { return validator }
        let schema = try locator.schema(id)
        guard schema.type == .json else {
            throw SchemaRegistryError(.invalidSchema, "schema \(id) is \(schema.type.rawValue), not a JSON Schema")
        }
        let validator = try JSONSchemaValidator(schema: schema.text)
        validators.remember(validator, for: id)
        return validator
    }
}
