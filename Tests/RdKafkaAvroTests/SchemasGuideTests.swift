import RdKafkaAvro
import Testing

/// The Avro section of docs/schemas.md, run as written. If this stops compiling or passing,
/// fix the guide too.
@Suite struct SchemasGuideTests {
    struct CustomerV1: Codable {
        var id: Int64
        var name: String
        var faxNumber: String?
    }

    struct CustomerV2: Codable {
        var id: Int64
        var name: String
        var email: String
    }

    @Test func customerExampleEndToEnd() throws {
        let customerV1 = try AvroSchema(parsing: """
            {"type": "record", "name": "Customer", "namespace": "com.example",
             "fields": [
               {"name": "id", "type": "long"},
               {"name": "name", "type": "string"},
               {"name": "faxNumber", "type": ["null", "string"], "default": null}
             ]}
            """)
        let bytes = try AvroEncoder().encode(CustomerV1(id: 7, name: "Ada", faxNumber: "555-0100"), schema: customerV1)

        let customerV2 = try AvroSchema(parsing: """
            {"type": "record", "name": "Customer", "namespace": "com.example",
             "fields": [
               {"name": "id", "type": "long"},
               {"name": "name", "type": "string"},
               {"name": "email", "type": "string", "default": "unknown@example.com"}
             ]}
            """)
        let upgraded = try AvroDecoder().decode(CustomerV2.self, from: bytes, writer: customerV1, reader: customerV2)
        #expect(upgraded.email == "unknown@example.com")

        let newBytes = try AvroEncoder().encode(CustomerV2(id: 8, name: "Bob", email: "bob@example.com"), schema: customerV2)
        let downgraded = try AvroDecoder().decode(CustomerV1.self, from: newBytes, writer: customerV2, reader: customerV1)
        #expect(downgraded.faxNumber == nil)
        #expect(downgraded.name == "Bob")

        let reader = try AvroReader(writer: customerV1, reader: customerV2)
        for payload in [bytes] {
            let customer = try AvroDecoder().decode(CustomerV2.self, from: payload, using: reader)
            #expect(customer.name == "Ada")
        }

        let value: AvroValue = .record(["id": .long(9), "name": .string("Cy"), "email": .string("cy@example.com")])
        let encoded = try customerV2.encode(value)
        let decoded = try AvroReader(writer: customerV2, reader: customerV1).decode(encoded)
        #expect(decoded == .record(["id": .long(9), "name": .string("Cy"), "faxNumber": .union(branch: 0, value: .null)]))
    }
}
