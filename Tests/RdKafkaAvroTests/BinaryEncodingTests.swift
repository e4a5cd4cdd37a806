import RdKafkaAvro
import Testing

@Suite struct BinaryEncodingTests {
    @Test(arguments: [
        (#""int""#, AvroValue.int(0), [UInt8]([0x00])),
        (#""int""#, .int(-1), [0x01]),
        (#""int""#, .int(1), [0x02]),
        (#""int""#, .int(-64), [0x7F]),
        (#""int""#, .int(64), [0x80, 0x01]),
        (#""long""#, .long(Int64.min), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        (#""string""#, .string("foo"), [0x06, 0x66, 0x6F, 0x6F]),
        (#""boolean""#, .boolean(true), [0x01]),
        (#""float""#, .float(1), [0x00, 0x00, 0x80, 0x3F]),
        (#"["null", "string"]"#, .union(branch: 1, value: .string("a")), [0x02, 0x02, 0x61]),
        (#"{"type": "array", "items": "long"}"#, .array([.long(3), .long(27)]), [0x04, 0x06, 0x36, 0x00]),
    ])
    func specificationExamples(schema: String, value: AvroValue, bytes: [UInt8]) throws {
        let parsed = try AvroSchema(parsing: schema)
        #expect(try parsed.encode(value) == bytes)
        #expect(try AvroReader(schema: parsed).decode(bytes) == value)
    }

    @Test func everyTypeRoundTrips() throws {
        let schema = try AvroSchema(parsing: AvroFixtures.everything)
        let bytes = try schema.encode(AvroFixtures.everythingValue)
        #expect(try AvroSchema.encode(AvroFixtures.everythingValue, schema: schema) == bytes)
        #expect(try AvroReader(schema: schema).decode(bytes) == AvroFixtures.everythingValue)
        // Appending keeps what the buffer held (a wire-format header, say).
        var framed: [UInt8] = [0, 0, 0, 0, 1]
        try schema.encode(AvroFixtures.everythingValue, into: &framed)
        #expect(framed == [0, 0, 0, 0, 1] + bytes)
    }

    @Test func unionBranchIsChosenForPlainValuesAndIntegersWiden() throws {
        let schema = try AvroSchema(parsing: #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": ["null", "long"]}, {"name": "b", "type": "double"}]}"#)
        let bytes = try schema.encode(.record(["a": .int(5), "b": .float(0.5)]))
        #expect(try AvroReader(schema: schema).decode(bytes) == .record(["a": .union(branch: 1, value: .long(5)), "b": .double(0.5)]))
    }

    @Test func missingFieldsTakeTheirDefaultWhenEncoding() throws {
        let schema = try AvroSchema(parsing: AvroFixtures.customerV2)
        let bytes = try schema.encode(.record(["id": .long(1), "name": .string("Ada")]))
        #expect(try AvroReader(schema: schema).decode(bytes)
            == .record(["id": .long(1), "name": .string("Ada"), "email": .string("unknown@example.com")]))
    }

    @Test func valueMismatchNamesTheFieldPath() throws {
        let schema = try AvroSchema(parsing: AvroFixtures.everything)
        var value = AvroFixtures.everythingValue
        guard case .record(var record) = value, case .record(var address)? = record["address"] else {
            Issue.record("fixture is not a record")
            return
        }
        address["zip"] = .string("not a number")
        record["address"] = .record(address)
        value = .record(record)
        #expect {
            try schema.encode(value)
        } throws: { error in
            guard let error = error as? AvroError else { return false }
            return error.kind == .valueMismatch && error.path == "Everything.address.zip"
        }
        #expect {
            try schema.encode(.record(["n": .null]))
        } throws: { error in
            (error as? AvroError)?.path == "Everything.b"
        }
        let tags = try AvroSchema(parsing: #"{"type": "record", "name": "T", "fields": [{"name": "tags", "type": {"type": "array", "items": "string"}}]}"#)
        #expect {
            try tags.encode(.record(["tags": .array([.string("a"), .int(1)])]))
        } throws: { error in
            (error as? AvroError)?.path == "T.tags[1]"
        }
    }

    @Test func negativeBlockCountsWithByteSizesDecode() throws {
        let schema = try AvroSchema(parsing: #"{"type": "array", "items": "int"}"#)
        // A block of -2 items carrying its byte size (2), then the end.
        let bytes: [UInt8] = [0x03, 0x04, 0x02, 0x04, 0x00]
        #expect(try AvroReader(schema: schema).decode(bytes) == .array([.int(1), .int(2)]))
    }
}

@Suite struct RecordValueShapeTests {
    @Test func fieldsTheSchemaLacksAreRejected() throws {
        let schema = try AvroSchema(parsing: AvroFixtures.customerV2)
        #expect {
            try schema.encode(.record(["id": .long(1), "name": .string("Ada"), "emial": .string("typo")]))
        } throws: { error in
            (error as? AvroError)?.path == "Customer.emial"
        }
    }
}

extension RecordValueShapeTests {
    @Test func plainRecordValuesPickTheUnionBranchByFieldNames() throws {
        let schema = try AvroSchema(parsing: """
            [{"type": "record", "name": "Cat", "fields": [{"name": "lives", "type": "int"}]},
             {"type": "record", "name": "Dog", "fields": [{"name": "tricks", "type": "int"}]}]
            """)
        let bytes = try schema.encode(.record(["tricks": .int(3)]))
        #expect(try AvroReader(schema: schema).decode(bytes) == .union(branch: 1, value: .record(["tricks": .int(3)])))
    }
}
