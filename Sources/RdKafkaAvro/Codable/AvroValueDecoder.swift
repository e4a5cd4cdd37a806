/// A `Decoder` reading an ``AvroValue`` shaped by a schema.
enum AvroValueDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from value: AvroValue, schema: AvroSchema) throws -> T {
        throw AvroError(.valueMismatch, reason: "not implemented yet")
    }
}
