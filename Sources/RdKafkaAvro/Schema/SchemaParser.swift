/// Turns a schema's JSON into a ``SchemaGraph``.
struct SchemaParser {
    static func parse(_ document: JSONValue) throws(AvroError) -> (SchemaGraph, Int) {
        throw AvroError(.invalidSchema, reason: "not implemented yet")
    }
}
