/// Writes an ``AvroValue`` against a schema node, checking that it fits.
struct ValueWriter {
    let graph: SchemaGraph

    func write(_ value: AvroValue, node: Int, to writer: inout BinaryWriter) throws(AvroError) {
        throw AvroError(.valueMismatch, reason: "not implemented yet")
    }
}
