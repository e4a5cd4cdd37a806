import RdKafkaAvro
import Testing

@Suite struct SchemaParsingTests {
    @Test func customerNamesAndCanonicalForm() throws {
        let schema = try AvroSchema(parsing: AvroFixtures.customerV1)
        #expect(schema.fullName == "com.example.Customer")
        #expect(schema.typeName == "record")
        #expect(
            schema.canonicalForm
                == #"{"name":"com.example.Customer","type":"record","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"faxNumber","type":["null","string"]}]}"#
        )
        // The full form parses back to the same schema.
        #expect(try AvroSchema(parsing: schema.json) == schema)
    }

    @Test func canonicalFormAppliesTheSpecificationsTransformations() throws {
        let schema = try AvroSchema(parsing: """
            {"type": "record", "name": "R", "namespace": "a.b", "doc": "dropped", "aliases": ["Old"],
             "fields": [
               {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["X"], "doc": "d"}, "default": "X"},
               {"name": "again", "type": "E"},
               {"name": "f", "type": {"type": "fixed", "name": "c.F", "size": 2}},
               {"name": "p", "type": {"type": "int"}},
               {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
               {"name": "m", "type": {"type": "map", "values": {"type": "array", "items": "\\u0073tring"}}}
             ]}
            """)
        #expect(
            schema.canonicalForm
                == #"{"name":"a.b.R","type":"record","fields":[{"name":"e","type":{"name":"a.b.E","type":"enum","symbols":["X"]}},{"name":"again","type":"a.b.E"},{"name":"f","type":{"name":"c.F","type":"fixed","size":2}},{"name":"p","type":"int"},{"name":"ts","type":"long"},{"name":"m","type":{"type":"map","values":{"type":"array","items":"string"}}}]}"#
        )
    }

    @Test func fingerprintIsRabinOfTheCanonicalForm() throws {
        // Fingerprints the Avro test suite publishes for primitive schemas.
        #expect(try AvroSchema(parsing: #""int""#).fingerprint == 0x7275_d51a_3f39_5c8f)
        #expect(try AvroSchema(parsing: #"{"type": "null"}"#).fingerprint == 0x63dd_24e7_cc25_8f8a)
    }

    @Test func logicalTypesAreRecognisedAndInvalidOnesIgnored() throws {
        #expect(try AvroSchema(parsing: #"{"type": "int", "logicalType": "date"}"#).logicalType == .date)
        #expect(try AvroSchema(parsing: #"{"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}"#).logicalType == .decimal(precision: 4, scale: 2))
        // Scale above precision, a date on a long, precision too big for the fixed: ignored.
        #expect(try AvroSchema(parsing: #"{"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 3}"#).logicalType == nil)
        #expect(try AvroSchema(parsing: #"{"type": "long", "logicalType": "date"}"#).logicalType == nil)
        #expect(try AvroSchema(parsing: #"{"type": "fixed", "name": "F", "size": 2, "logicalType": "decimal", "precision": 5}"#).logicalType == nil)
        #expect(try AvroSchema(parsing: #"{"type": "fixed", "name": "F", "size": 2, "logicalType": "decimal", "precision": 4}"#).logicalType == .decimal(precision: 4, scale: 0))
        let everything = try AvroSchema(parsing: AvroFixtures.everything)
        #expect(try AvroSchema(parsing: everything.json) == everything)
    }

    @Test func recursiveSchemasParse() throws {
        let list = try AvroSchema(parsing: """
            {"type": "record", "name": "LongList", "fields": [
              {"name": "value", "type": "long"}, {"name": "next", "type": ["null", "LongList"], "default": null}]}
            """)
        #expect(list.canonicalForm.contains(#"["null","LongList"]"#))
        let value: AvroValue = .record(["value": .long(1), "next": .union(branch: 1, value: .record(["value": .long(2), "next": .union(branch: 0, value: .null)]))])
        #expect(try AvroReader(schema: list).decode(list.encode(value)) == value)
    }

    @Test(arguments: [
        ("{", "invalid JSON"),
        (#""nope""#, "unknown type"),
        (#"{"type": "record", "name": "1bad", "fields": []}"#, "not a valid name"),
        (#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}, {"name": "a", "type": "int"}]}"#, "appears twice"),
        (#"["int", "int"]"#, "twice"),
        (#"["null", ["int"]]"#, "another union"),
        (#"{"type": "enum", "name": "E", "symbols": ["A", "A"]}"#, "twice"),
        (#"{"type": "enum", "name": "E", "symbols": ["A"], "default": "B"}"#, "not one of its symbols"),
        (#"{"type": "fixed", "name": "F", "size": -1}"#, "size"),
        (#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "default": "x"}]}"#, "default"),
        (#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": ["null", "int"], "default": 1.5}]}"#, "default"),
        (#"{"type": "record", "name": "int", "fields": []}"#, "primitive"),
        (#"{"type": "array"}"#, "items"),
    ])
    func invalidSchemasAreTypedErrors(json: String, reason: String) {
        #expect {
            try AvroSchema(parsing: json)
        } throws: { error in
            guard let error = error as? AvroError else { return false }
            return error.kind == .invalidSchema && error.description.contains(reason)
        }
    }

    @Test func errorsNameTheFieldPath() {
        #expect {
            try AvroSchema(parsing: #"{"type": "record", "name": "Customer", "fields": [{"name": "address", "type": {"type": "record", "name": "Address", "fields": [{"name": "zip", "type": "int", "default": "x"}]}}]}"#)
        } throws: { error in
            (error as? AvroError)?.path == "Address.zip"
        }
    }

    @Test func unionDefaultMayMatchAnyBranch() throws {
        // Avro 1.12: a union default matches any branch, not only the first.
        let schema = try AvroSchema(parsing: #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": ["null", "string"], "default": "x"}]}"#)
        let empty = try AvroSchema(parsing: #"{"type": "record", "name": "R", "fields": []}"#)
        #expect(try AvroReader(writer: empty, reader: schema).decode([]) == .record(["a": .union(branch: 1, value: .string("x"))]))
    }
}

extension SchemaParsingTests {
    @Test func hugeFixedWithDecimalParses() throws {
        let schema = try AvroSchema(parsing: #"{"type": "fixed", "name": "F", "size": 2147483647, "logicalType": "decimal", "precision": 40}"#)
        #expect(schema.logicalType == .decimal(precision: 40, scale: 0))
        #expect(throws: AvroError.self) { try AvroReader(schema: schema).decode([1, 2, 3]) }
    }
}
