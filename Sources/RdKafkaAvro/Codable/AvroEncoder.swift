/// Encodes `Encodable` values in Avro's binary encoding, guided by a schema.
///
/// Record fields match coding keys by name; an optional is a union with `null`; `Int` fits
/// `int` or `long`; `[UInt8]` and `Data` fit `bytes` and `fixed`; `Date`, `UUID` and `Decimal`
/// fit their logical types. Errors name the field path, for example `Customer.address.zip`.
public struct AvroEncoder: Sendable {
    public init() {}

    /// Encodes `value` for `schema`.
    public func encode<T: Encodable>(_ value: T, schema: AvroSchema) throws -> [UInt8] {
        var output: [UInt8] = []
        try encode(value, schema: schema, into: &output)
        return output
    }

    /// Appends the encoding of `value` for `schema` to `output`.
    public func encode<T: Encodable>(_ value: T, schema: AvroSchema, into output: inout [UInt8]) throws {
        let avroValue = try AvroValueEncoder.value(of: value, schema: schema)
        try schema.encode(avroValue, into: &output)
    }

    /// The ``AvroValue`` that `value` encodes to for `schema`.
    public func encodeValue<T: Encodable>(_ value: T, schema: AvroSchema) throws -> AvroValue {
        try AvroValueEncoder.value(of: value, schema: schema)
    }
}
