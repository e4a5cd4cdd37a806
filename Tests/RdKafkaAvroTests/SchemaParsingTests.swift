import RdKafkaAvro
import Testing

@Suite struct SchemaParsingTests {
    @Test func rejectsInvalidJSON() {
        #expect(throws: AvroError.self) { try AvroSchema(parsing: "{") }
    }
}
