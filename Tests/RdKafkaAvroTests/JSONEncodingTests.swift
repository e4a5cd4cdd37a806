import RdKafkaAvro
import Testing

/// Values in Avro's JSON encoding, the text `rdkafka consume -s avro` prints.
@Suite struct JSONEncodingTests {
    @Test(arguments: [
        (#""null""#, AvroValue.null, "null"),
        (#""boolean""#, .boolean(false), "false"),
        (#""long""#, .long(Int64.min), "-9223372036854775808"),
        (#""float""#, .float(0.1), "0.1"),
        (#""double""#, .double(-2.5e-7), "-2.5e-07"),
        (#""double""#, .double(.infinity), #""Infinity""#),
        (#""string""#, .string("tab\t\"q\""), #""tab\t\"q\"""#),
        (#""bytes""#, .bytes([0x00, 0x41, 0xFF]), #""\u0000Aÿ""#),
        (#"{"type": "fixed", "name": "F", "size": 2}"#, .fixed([0x61, 0x62]), #""ab""#),
        (#"{"type": "enum", "name": "E", "symbols": ["A", "B"]}"#, .enumSymbol("B"), #""B""#),
        (#"{"type": "array", "items": "int"}"#, .array([.int(1), .int(2)]), "[1,2]"),
        (#"{"type": "map", "values": "int"}"#, .map(["b": .int(2), "a": .int(1)]), #"{"a":1,"b":2}"#),
        (#"["null", "string"]"#, .union(branch: 0, value: .null), "null"),
        (#"["null", "string"]"#, .union(branch: 1, value: .string("x")), #"{"string":"x"}"#),
        (#"["null", {"type": "record", "name": "R", "namespace": "n", "fields": []}]"#, .union(branch: 1, value: .record([:])), #"{"n.R":{}}"#),
    ])
    func specificationForms(schema: String, value: AvroValue, json: String) throws {
        #expect(try AvroSchema(parsing: schema).jsonEncoding(of: value) == json)
    }

    @Test func recordFieldsInSchemaOrder() throws {
        let schema = try AvroSchema(parsing: """
            {"type": "record", "name": "Customer", "fields": [
              {"name": "id", "type": "long"}, {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "fax", "type": ["null", "string"]}]}
            """)
        let value = AvroValue.record(["fax": .union(branch: 1, value: .string("555")), "tags": .array([.string("a")]), "id": .long(7)])
        #expect(try schema.jsonEncoding(of: value) == #"{"id":7,"tags":["a"],"fax":{"string":"555"}}"#)
    }

    @Test func valueThatDoesNotFitNamesWhere() throws {
        let schema = try AvroSchema(parsing: #"{"type": "record", "name": "R", "fields": [{"name": "n", "type": {"type": "array", "items": "int"}}]}"#)
        let error = #expect(throws: AvroError.self) { try schema.jsonEncoding(of: .record(["n": .array([.int(1), .string("x")])])) }
        #expect(error?.kind == .valueMismatch)
        #expect(error?.path == "n[1]")
        #expect(throws: AvroError.self) { try schema.jsonEncoding(of: .record([:])) }
    }
}
