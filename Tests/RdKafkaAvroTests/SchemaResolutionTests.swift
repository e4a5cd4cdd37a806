import RdKafkaAvro
import Testing

@Suite struct SchemaResolutionTests {
    @Test func customerEvolvesBothWays() throws {
        let v1 = try AvroSchema(parsing: AvroFixtures.customerV1)
        let v2 = try AvroSchema(parsing: AvroFixtures.customerV2)
        // A new reader of an old record: faxNumber skipped, email from its default.
        let old = try v1.encode(.record(["id": .long(7), "name": .string("Ada"), "faxNumber": .union(branch: 1, value: .string("555"))]))
        #expect(try AvroReader(writer: v1, reader: v2).decode(old)
            == .record(["id": .long(7), "name": .string("Ada"), "email": .string("unknown@example.com")]))
        // An old reader of a new record: email skipped, faxNumber from its default.
        let new = try v2.encode(.record(["id": .long(8), "name": .string("Bob"), "email": .string("bob@example.com")]))
        #expect(try AvroReader(writer: v2, reader: v1).decode(new)
            == .record(["id": .long(8), "name": .string("Bob"), "faxNumber": .union(branch: 0, value: .null)]))
    }

    @Test func promotions() throws {
        let pairs: [(String, String, AvroValue, AvroValue)] = [
            (#""int""#, #""long""#, .int(-3), .long(-3)),
            (#""int""#, #""float""#, .int(3), .float(3)),
            (#""int""#, #""double""#, .int(3), .double(3)),
            (#""long""#, #""float""#, .long(1 << 20), .float(1_048_576)),
            (#""long""#, #""double""#, .long(1 << 40), .double(1_099_511_627_776)),
            (#""float""#, #""double""#, .float(0.5), .double(0.5)),
            (#""string""#, #""bytes""#, .string("hi"), .bytes([0x68, 0x69])),
            (#""bytes""#, #""string""#, .bytes([0x68, 0x69]), .string("hi")),
            (#""int""#, #"["null", "string", "long"]"#, .int(4), .union(branch: 2, value: .long(4))),
            (#"["null", "int"]"#, #""long""#, .union(branch: 1, value: .int(9)), .long(9)),
        ]
        for (writerJSON, readerJSON, written, read) in pairs {
            let writer = try AvroSchema(parsing: writerJSON)
            let reader = try AvroSchema(parsing: readerJSON)
            #expect(try AvroReader(writer: writer, reader: reader).decode(writer.encode(written)) == read, "\(writerJSON) → \(readerJSON)")
        }
    }

    @Test func enumDefaultsAndUnknownSymbols() throws {
        let writer = try AvroSchema(parsing: #"{"type": "enum", "name": "Suit", "symbols": ["HEARTS", "SPADES", "JOKER"]}"#)
        let withDefault = try AvroSchema(parsing: #"{"type": "enum", "name": "Suit", "symbols": ["UNKNOWN", "SPADES", "HEARTS"], "default": "UNKNOWN"}"#)
        let withoutDefault = try AvroSchema(parsing: #"{"type": "enum", "name": "Suit", "symbols": ["SPADES", "HEARTS"]}"#)
        #expect(try AvroReader(writer: writer, reader: withDefault).decode(writer.encode(.enumSymbol("HEARTS"))) == .enumSymbol("HEARTS"))
        #expect(try AvroReader(writer: writer, reader: withDefault).decode(writer.encode(.enumSymbol("JOKER"))) == .enumSymbol("UNKNOWN"))
        let strict = try AvroReader(writer: writer, reader: withoutDefault)
        #expect(try strict.decode(writer.encode(.enumSymbol("SPADES"))) == .enumSymbol("SPADES"))
        #expect(throws: AvroError.self) { try strict.decode(writer.encode(.enumSymbol("JOKER"))) }
    }

    @Test func aliasesRenameTypesAndFields() throws {
        let writer = try AvroSchema(parsing: #"{"type": "record", "name": "a.Old", "fields": [{"name": "zip", "type": "int"}]}"#)
        let reader = try AvroSchema(parsing: #"{"type": "record", "name": "b.New", "aliases": ["a.Old"], "fields": [{"name": "postcode", "type": "long", "aliases": ["zip"]}]}"#)
        #expect(try AvroReader(writer: writer, reader: reader).decode(writer.encode(.record(["zip": .int(75001)]))) == .record(["postcode": .long(75001)]))
    }

    @Test func skippedWriterFieldsOfEveryType() throws {
        let writer = try AvroSchema(parsing: AvroFixtures.everything)
        let reader = try AvroSchema(parsing: #"{"type": "record", "name": "Everything", "namespace": "test.avro", "fields": [{"name": "big", "type": "bytes"}]}"#)
        let value = try AvroReader(writer: writer, reader: reader).decode(writer.encode(AvroFixtures.everythingValue))
        #expect(value == .record(["big": .bytes([0x04, 0xD2, 0x02])]))
    }

    @Test func incompatibleSchemasAreTypedErrorsWithPaths() throws {
        let writer = try AvroSchema(parsing: AvroFixtures.customerV1)
        let missingDefault = try AvroSchema(parsing: #"{"type": "record", "name": "Customer", "fields": [{"name": "id", "type": "long"}, {"name": "email", "type": "string"}]}"#)
        #expect {
            try AvroReader(writer: writer, reader: missingDefault)
        } throws: { error in
            guard let error = error as? AvroError else { return false }
            return error.kind == .incompatibleSchemas && error.path == "Customer.email"
        }
        let narrowing = try AvroSchema(parsing: #"{"type": "record", "name": "Customer", "fields": [{"name": "id", "type": "int"}]}"#)
        #expect {
            try AvroReader(writer: writer, reader: narrowing)
        } throws: { error in
            (error as? AvroError)?.path == "Customer.id"
        }
        // A writer union branch the reader cannot read fails only when a value takes it.
        let nullable = try AvroSchema(parsing: #"["null", "string"]"#)
        let reader = try AvroReader(writer: nullable, reader: AvroSchema(parsing: #""string""#))
        #expect(try reader.decode(nullable.encode(.string("x"))) == .string("x"))
        #expect(throws: AvroError.self) { try reader.decode(nullable.encode(.null)) }
    }
}
