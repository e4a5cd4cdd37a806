/// How to read a writer's schema as a reader's, worked out once per pair of schemas.
final class ResolutionPlan: Sendable {
    init(writer: AvroSchema, reader: AvroSchema) throws(AvroError) {
        throw AvroError(.incompatibleSchemas, reason: "not implemented yet")
    }

    init(identity schema: AvroSchema) {
    }

    func read(_ input: inout BinaryReader) throws(AvroError) -> AvroValue {
        throw AvroError(.malformedData, reason: "not implemented yet")
    }
}
