import Foundation
import RdKafkaAvro
import Testing

@Suite struct CodableTests {
    struct CustomerV1: Codable, Equatable {
        var id: Int64
        var name: String
        var faxNumber: String?
    }

    struct CustomerV2: Codable, Equatable {
        var id: Int64
        var name: String
        var email: String
    }

    @Test func customerEvolutionWithCodable() throws {
        let v1 = try AvroSchema(parsing: AvroFixtures.customerV1)
        let v2 = try AvroSchema(parsing: AvroFixtures.customerV2)
        let old = try AvroEncoder().encode(CustomerV1(id: 1, name: "Ada", faxNumber: "555"), schema: v1)
        let upgraded = try AvroDecoder().decode(CustomerV2.self, from: old, writer: v1, reader: v2)
        #expect(upgraded == CustomerV2(id: 1, name: "Ada", email: "unknown@example.com"))
        let new = try AvroEncoder().encode(CustomerV2(id: 2, name: "Bob", email: "bob@example.com"), schema: v2)
        let downgraded = try AvroDecoder().decode(CustomerV1.self, from: new, writer: v2, reader: v1)
        #expect(downgraded == CustomerV1(id: 2, name: "Bob", faxNumber: nil))
        // A nil optional is omitted by synthesized Codable and written as null.
        let noFax = try AvroEncoder().encode(CustomerV1(id: 3, name: "Cy", faxNumber: nil), schema: v1)
        #expect(try AvroDecoder().decode(CustomerV1.self, from: noFax, writer: v1) == CustomerV1(id: 3, name: "Cy", faxNumber: nil))
    }

    enum Colour: String, Codable { case RED, GREEN, BLUE }

    struct Address: Codable, Equatable {
        var street: String
        var zip: Int
    }

    struct Everything: Codable, Equatable {
        var n: Int?
        var b: Bool
        var i: Int32
        var l: Int
        var f: Float
        var d: Double
        var by: [UInt8]
        var s: String
        var colour: Colour
        var tags: [String]
        var scores: [String: Int64]
        var maybe: String?
        var hash: Data
        var address: Address
        var amount: Decimal
        var fixedAmount: Decimal
        var id: UUID
        var fixedId: UUID
        var day: Date
        var tMillis: Int32
        var tMicros: Int64
        var tsMillis: Date
        var tsMicros: Date
        var tsNanos: Int64
        var ltsMillis: Int64
        var ltsMicros: Int64
        var ltsNanos: Int64
        var span: [UInt8]
        var big: [UInt8]
    }

    @Test func everyTypeAndLogicalTypeRoundTrips() throws {
        let schema = try AvroSchema(parsing: AvroFixtures.everything)
        let value = Everything(
            n: nil, b: true, i: -42, l: 1 << 40, f: 1.5, d: -2.25, by: [0, 1, 255], s: "héllo", colour: .GREEN,
            tags: ["a", "b"], scores: ["x": 7], maybe: "yes", hash: Data(0..<16), address: Address(street: "Main St", zip: 12345),
            amount: Decimal(string: "12.34")!, fixedAmount: Decimal(string: "12.3456")!,
            id: UUID(uuidString: "123e4567-e89b-12d3-a456-426614174000")!, fixedId: UUID(uuid: (0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB)),
            day: Date(timeIntervalSince1970: 19_000 * 86_400), tMillis: 3_600_000, tMicros: 3_600_000_000,
            tsMillis: Date(timeIntervalSince1970: 1_700_000_000.125), tsMicros: Date(timeIntervalSince1970: 1_700_000_000.5),
            tsNanos: 1_700_000_000_123_456_789, ltsMillis: 1_700_000_000_123, ltsMicros: 1_700_000_000_123_456,
            ltsNanos: 1_700_000_000_123_456_789, span: [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0], big: [0x04, 0xD2, 0x02]
        )
        let bytes = try AvroEncoder().encode(value, schema: schema)
        // Dates are exact binary fractions of a second here, so they survive the round trip.
        let decoded = try AvroDecoder().decode(Everything.self, from: bytes, writer: schema)
        #expect(decoded == value)
    }

    @Test func negativeDecimalsKeepTheirSign() throws {
        let schema = try AvroSchema(parsing: #"{"type": "record", "name": "P", "fields": [{"name": "a", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 3}}, {"name": "b", "type": {"type": "fixed", "name": "F", "size": 4, "logicalType": "decimal", "precision": 9, "scale": 1}}]}"#)
        struct P: Codable, Equatable { var a: Decimal; var b: Decimal }
        for (a, b) in [("-1.5", "-0.1"), ("-128", "-12.8"), ("0", "0"), ("1234567.891", "-99999999.9")] {
            let value = P(a: Decimal(string: a)!, b: Decimal(string: b)!)
            #expect(try AvroDecoder().decode(P.self, from: AvroEncoder().encode(value, schema: schema), writer: schema) == value)
        }
    }

    @Test func errorsNameTheFieldPath() throws {
        struct Wrong: Codable { var id: Int64; var name: Int }
        let schema = try AvroSchema(parsing: AvroFixtures.customerV1)
        #expect {
            try AvroEncoder().encode(Wrong(id: 1, name: 2), schema: schema)
        } throws: { error in
            (error as? AvroError)?.path == "Customer.name"
        }
        let bytes = try AvroEncoder().encode(CustomerV1(id: 1, name: "x"), schema: schema)
        #expect {
            try AvroDecoder().decode(Wrong.self, from: bytes, writer: schema)
        } throws: { error in
            (error as? AvroError)?.path == "Customer.name"
        }
    }
}

@Suite struct LogicalTypeConvenienceTests {
    @Test func valuesForLogicalTypes() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        #expect(AvroValue.timestamp(date, as: .timestampMillis) == .long(1_700_000_000_250))
        #expect(AvroValue.timestamp(date, as: .timestampMicros)?.dateValue(as: .timestampMicros) == date)
        #expect(AvroValue.timestamp(date, as: .date) == nil)
        #expect(AvroValue.date(date) == .int(19_675))
        #expect(AvroValue.date(Date(timeIntervalSince1970: 1e300)) == nil)
        #expect(AvroValue.timestamp(Date(timeIntervalSince1970: 9.3e15), as: .timestampMillis) == nil)
        // The extremes of a long decode to a Date without overflowing.
        #expect(AvroValue.long(.min).dateValue(as: .timestampMillis) != nil)
        #expect(AvroValue.long(-1_500).dateValue(as: .timestampMillis) == Date(timeIntervalSince1970: -1.5))
        #expect(AvroValue.decimal(Decimal(string: "-1.25")!, scale: 2) == .bytes([0x83]))
        #expect(AvroValue.bytes([0xFF, 0x83]).decimalValue(scale: 2) == Decimal(string: "-1.25"))
        #expect(AvroValue.decimal(Decimal(string: "1.255")!, scale: 2) == nil)
        #expect(AvroValue.union(branch: 1, value: .string("x")).unwrapped == .string("x"))
    }
}
