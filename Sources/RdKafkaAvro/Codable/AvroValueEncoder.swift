/// An `Encoder` producing an ``AvroValue`` shaped by a schema.
enum AvroValueEncoder {
    static func value<T: Encodable>(of value: T, schema: AvroSchema) throws -> AvroValue {
        throw AvroError(.valueMismatch, reason: "not implemented yet")
    }
}
