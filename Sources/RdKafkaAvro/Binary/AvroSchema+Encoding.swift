extension AvroSchema {
    /// Encodes `value` in Avro's binary encoding for this schema.
    ///
    /// - Throws: ``AvroError`` of kind ``AvroError/Kind/valueMismatch`` naming the field
    ///   whose value does not fit the schema.
    public func encode(_ value: AvroValue) throws(AvroError) -> [UInt8] {
        var output: [UInt8] = []
        try encode(value, into: &output)
        return output
    }

    /// Appends the binary encoding of `value` to `output`, for callers that write a header
    /// (such as a schema registry's wire format) first.
    public func encode(_ value: AvroValue, into output: inout [UInt8]) throws(AvroError) {
        var writer = BinaryWriter(output: output)
        output = []
        defer { output = writer.output }
        do {
            try ValueWriter(graph: graph).write(value, node: root, to: &writer)
        } catch {
            throw graph[root].named.map { error.within($0.name) } ?? error
        }
    }
}

extension AvroSchema {
    /// Encodes `value` for `schema`; the same as `schema.encode(value)`.
    public static func encode(_ value: AvroValue, schema: AvroSchema) throws(AvroError) -> [UInt8] {
        try schema.encode(value)
    }
}
