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
        // Enough for a small record in one allocation.
        output.reserveCapacity(64)
        try encode(value, schema: schema, into: &output)
        return output
    }

    /// Appends the encoding of `value` for `schema` to `output`.
    public func encode<T: Encodable>(_ value: T, schema: AvroSchema, into output: inout [UInt8]) throws {
        let tree = try TreeEncoder.tree(of: value)
        let start = output.count
        var writer = BinaryWriter(output: output)
        output = []
        defer { output = writer.output }
        do {
            try TreeWriter(graph: schema.graph).write(tree, node: schema.root, to: &writer, depth: 0)
        } catch {
            // What was written before the error is no encoding of anything.
            writer.output.removeSubrange(start...)
            throw schema.graph[schema.root].named.map { error.within($0.name) } ?? error
        }
    }

    /// The ``AvroValue`` that `value` encodes to for `schema`.
    public func encodeValue<T: Encodable>(_ value: T, schema: AvroSchema) throws -> AvroValue {
        try AvroValueEncoder.value(of: value, schema: schema)
    }
}
