import Foundation
import RdKafkaSchemaRegistry
import SwiftProtobuf
import Testing

/// The dynamic decoder against bytes swift-protobuf writes, compared with swift-protobuf's
/// own `jsonString()`; and against hand-written bytes for what no test type covers.
@Suite("Protobuf to JSON without generated types")
struct ProtobufJSONDecoderTests {
    private typealias Wire = ProtobufWireBytes

    private func decode(_ schema: String, _ bytes: [UInt8], indexes: [Int32] = [0]) throws -> String {
        try ProtobufJSONDecoder(schema: try ProtobufSchema(parsing: schema)).json(of: bytes, messageIndexes: indexes)
    }

    /// Equal as JSON values: field order and number spelling aside.
    private func sameJSON(_ left: String, _ right: String) throws -> Bool {
        func canonical(_ text: String) throws -> Data {
            let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            return try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        }
        return try canonical(left) == canonical(right)
    }

    @Test("Greeting: the same JSON as swift-protobuf's, defaults left out")
    func greeting() throws {
        for greeting in [Greeting(text: "hi", count: 300), Greeting(text: "", count: -5), Greeting(text: "line\n\"quoted\" é", count: 0), Greeting()] {
            let json = try decode(Greeting.proto, try greeting.serializedBytes())
            #expect(json == (try greeting.jsonString()), "\(greeting)")
        }
    }

    static let typeSchema = """
        syntax = "proto3";
        package google.protobuf;
        import "google/protobuf/any.proto";
        message Type {
          string name = 1;
          repeated Field fields = 2;
          repeated string oneofs = 3;
          repeated Option options = 4;
          SourceContext source_context = 5;
          Syntax syntax = 6;
          string edition = 7;
        }
        message Field {
          enum Kind { TYPE_UNKNOWN = 0; TYPE_DOUBLE = 1; TYPE_INT64 = 3; TYPE_INT32 = 5; TYPE_STRING = 9; TYPE_MESSAGE = 11; }
          enum Cardinality { CARDINALITY_UNKNOWN = 0; CARDINALITY_OPTIONAL = 1; CARDINALITY_REQUIRED = 2; CARDINALITY_REPEATED = 3; }
          Kind kind = 1;
          Cardinality cardinality = 2;
          int32 number = 3;
          string name = 4;
          string type_url = 6;
          int32 oneof_index = 7;
          bool packed = 8;
          repeated Option options = 9;
          string json_name = 10;
          string default_value = 11;
        }
        message Option { string name = 1; google.protobuf.Any value = 2; }
        message SourceContext { string file_name = 1; }
        enum Syntax { SYNTAX_PROTO2 = 0; SYNTAX_PROTO3 = 1; SYNTAX_EDITIONS = 2; }
        """

    @Test("google.protobuf.Type: nested and repeated messages, enums, repeated strings, bools, snake_case names")
    func typeDescriptor() throws {
        var type = Google_Protobuf_Type()
        type.name = "shop.Order"
        type.oneofs = ["payment", "delivery"]
        type.syntax = .proto3
        type.sourceContext.fileName = "shop/order.proto"
        var id = Google_Protobuf_Field()
        id.kind = .typeString
        id.cardinality = .optional
        id.number = 1
        id.name = "order_id"
        id.jsonName = "orderId"
        var lines = Google_Protobuf_Field()
        lines.kind = .typeMessage
        lines.cardinality = .repeated
        lines.number = 2
        lines.typeURL = "type.googleapis.com/shop.Line"
        lines.packed = true
        lines.oneofIndex = -1
        type.fields = [id, lines]
        let json = try decode(Self.typeSchema, try type.serializedBytes())
        let expected = try type.jsonString()
        #expect(try sameJSON(json, expected), "\(json) vs \(expected)")
        #expect(json.hasPrefix(#"{"name":"shop.Order","fields":[{"kind":"TYPE_STRING","#))
    }

    @Test("Enum numbers the schema does not name print as numbers")
    func unknownEnumNumber() throws {
        let bytes = Wire.lengthDelimited(2, Wire.varintField(1, 18))
        #expect(try decode(Self.typeSchema, bytes) == #"{"fields":[{"kind":18}]}"#)
    }

    @Test("Well-known types: Timestamp and Duration as strings, wrappers as their value, Struct as JSON")
    func wellKnownTypes() throws {
        let schema = """
            syntax = "proto3";
            import "google/protobuf/timestamp.proto";
            import "google/protobuf/duration.proto";
            import "google/protobuf/wrappers.proto";
            import "google/protobuf/struct.proto";
            message Envelope {
              google.protobuf.Timestamp at = 1;
              google.protobuf.Duration took = 2;
              google.protobuf.Int64Value big = 3;
              google.protobuf.BytesValue blob = 4;
              google.protobuf.Struct body = 5;
              google.protobuf.BoolValue flag = 6;
              repeated google.protobuf.Timestamp history = 7;
            }
            """
        let at = Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 123_000_000)
        let early = Google_Protobuf_Timestamp(seconds: -62_135_596_800, nanos: 1)
        let took = Google_Protobuf_Duration(seconds: -1, nanos: -500_000_000)
        let big = Google_Protobuf_Int64Value(9_007_199_254_740_993)
        let blob = Google_Protobuf_BytesValue(Data([0xFF, 0, 1]))
        let flag = Google_Protobuf_BoolValue(false)
        let body = Google_Protobuf_Struct(fields: [
            "n": Google_Protobuf_Value(numberValue: 1.5),
            "s": Google_Protobuf_Value(stringValue: "x"),
            "b": Google_Protobuf_Value(boolValue: true),
            "z": Google_Protobuf_Value(nilLiteral: ()),
            "l": Google_Protobuf_Value(listValue: Google_Protobuf_ListValue(values: [Google_Protobuf_Value(numberValue: 2), Google_Protobuf_Value(stringValue: "two")])),
            "o": Google_Protobuf_Value(structValue: Google_Protobuf_Struct(fields: ["inner": Google_Protobuf_Value(numberValue: 3)])),
        ])
        var bytes = Wire.lengthDelimited(1, try at.serializedBytes()) + Wire.lengthDelimited(2, try took.serializedBytes())
        bytes += Wire.lengthDelimited(3, try big.serializedBytes()) + Wire.lengthDelimited(4, try blob.serializedBytes())
        bytes += Wire.lengthDelimited(5, try body.serializedBytes()) + Wire.lengthDelimited(6, try flag.serializedBytes())
        bytes += Wire.lengthDelimited(7, try early.serializedBytes()) + Wire.lengthDelimited(7, try at.serializedBytes())
        let json = try decode(schema, bytes)
        let expected = "{\"at\":\(try at.jsonString()),\"took\":\(try took.jsonString()),\"big\":\(try big.jsonString()),\"blob\":\(try blob.jsonString()),\"body\":\(try body.jsonString()),\"flag\":\(try flag.jsonString()),\"history\":[\(try early.jsonString()),\(try at.jsonString())]}"
        #expect(try sameJSON(json, expected), "\(json) vs \(expected)")
        #expect(json.hasPrefix(#"{"at":"2023-11-14T22:13:20.123Z","took":"-1.500s","big":"9007199254740993","blob":"/wAB","#))
        #expect(json.hasSuffix(#""flag":false,"history":["0001-01-01T00:00:00.000000001Z","2023-11-14T22:13:20.123Z"]}"#))
    }

    static let scalarsSchema = """
        syntax = "proto3";
        package test;
        import "google/protobuf/duration.proto";
        message Scalars {
          double d = 1; float f = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;
          sint32 s32 = 7; sint64 s64 = 8; fixed32 f32 = 9; fixed64 f64 = 10; sfixed32 sf32 = 11; sfixed64 sf64 = 12;
          bool flag = 13; string text = 14; bytes blob = 15;
          repeated int32 packed_ints = 16;
          repeated sint64 loose = 17 [packed = false];
          map<string, int32> counts = 18;
          map<int32, Inner> by_id = 19;
          oneof choice { string name = 20; Inner inner = 21; }
          optional int32 maybe = 22;
          Color color = 23;
          int32 zero = 24;
          Inner merged = 25;
          repeated double ratios = 26;
          google.protobuf.Duration took = 27;
          message Inner { string label = 1; int32 rank = 2; }
          enum Color { RED = 0; GREEN = 1; }
          reserved 100 to 200;
        }
        message Node { Node child = 1; string name = 2; }
        """

    static var scalarsBytes: [UInt8] {
        var bytes = Wire.fixed64Field(1, 1.5.bitPattern) + Wire.fixed32Field(2, Float(0.25).bitPattern)
        bytes += Wire.varintField(3, UInt64(bitPattern: -1)) + Wire.varintField(4, UInt64(bitPattern: -2))
        bytes += Wire.varintField(5, UInt64(UInt32.max)) + Wire.varintField(6, UInt64.max)
        bytes += Wire.varintField(7, Wire.zigZag(-3)) + Wire.varintField(8, Wire.zigZag(-4))
        bytes += Wire.fixed32Field(9, 7) + Wire.fixed64Field(10, 8)
        bytes += Wire.fixed32Field(11, UInt32(bitPattern: -9)) + Wire.fixed64Field(12, UInt64(bitPattern: -10))
        bytes += Wire.varintField(13, 1) + Wire.string(14, "héllo \"q\"\u{1}") + Wire.lengthDelimited(15, [0xFF, 0, 1])
        bytes += Wire.lengthDelimited(16, Wire.varint(1) + Wire.varint(2) + Wire.varint(300))
        bytes += Wire.varintField(17, Wire.zigZag(-1)) + Wire.varintField(17, Wire.zigZag(1))
        // Unknown fields of every wire type, a group among them, are skipped.
        bytes += Wire.varintField(99, 5) + Wire.fixed32Field(98, 1) + Wire.string(97, "?")
        bytes += Wire.tag(96, 3) + Wire.varintField(1, 1) + Wire.tag(96, 4)
        bytes += Wire.lengthDelimited(18, Wire.string(1, "a") + Wire.varintField(2, 1))
        bytes += Wire.lengthDelimited(18, Wire.string(1, "b"))
        bytes += Wire.lengthDelimited(18, Wire.string(1, "a") + Wire.varintField(2, 2))
        bytes += Wire.lengthDelimited(19, Wire.varintField(1, 7) + Wire.lengthDelimited(2, Wire.string(1, "x")))
        bytes += Wire.string(20, "n") + Wire.lengthDelimited(21, Wire.string(1, "y"))
        bytes += Wire.varintField(22, 0) + Wire.varintField(23, 1) + Wire.varintField(24, 0)
        bytes += Wire.lengthDelimited(25, Wire.string(1, "first")) + Wire.lengthDelimited(25, Wire.varintField(2, 2))
        bytes += Wire.lengthDelimited(26, withUnsafeBytes(of: Double.infinity.bitPattern.littleEndian) { Array($0) } + withUnsafeBytes(of: 0.1.bitPattern.littleEndian) { Array($0) })
        bytes += Wire.lengthDelimited(27, Wire.varintField(1, 3))
        return bytes
    }

    @Test("Every scalar type, packed and unpacked repeats, maps, a oneof, presence, merged messages, unknown fields")
    func everyKind() throws {
        let json = try decode(Self.scalarsSchema, Self.scalarsBytes)
        let expected = #"{"d":1.5,"f":0.25,"i32":-1,"i64":"-2","u32":4294967295,"u64":"18446744073709551615","s32":-3,"s64":"-4","f32":7,"f64":"8","sf32":-9,"sf64":"-10","flag":true,"text":"héllo \"q\"\u0001","blob":"/wAB","packedInts":[1,2,300],"loose":["-1","1"],"counts":{"a":2,"b":0},"byId":{"7":{"label":"x"}},"inner":{"label":"y"},"maybe":0,"color":"GREEN","merged":{"label":"first","rank":2},"ratios":["Infinity",0.1],"took":"3s"}"#
        #expect(json == expected)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }

    @Test("Message indexes select nested messages; a recursive message decodes to its depth")
    func indexesAndRecursion() throws {
        var node: [UInt8] = Wire.string(2, "leaf")
        for level in 0..<5 { node = Wire.lengthDelimited(1, node) + Wire.string(2, "n\(level)") }
        let json = try decode(Self.scalarsSchema, node, indexes: [1])
        #expect(json == #"{"child":{"child":{"child":{"child":{"child":{"name":"leaf"},"name":"n0"},"name":"n1"},"name":"n2"},"name":"n3"},"name":"n4"}"#)
        #expect(try decode(Self.scalarsSchema, Wire.string(1, "l"), indexes: [0, 0]) == #"{"label":"l"}"#)
    }

    @Test("Malformed bytes are a serialization error naming the cause", arguments: [
        ([0x18, 0x80], "truncated varint"),
        ([0x72, 0x05, 0x61], "runs past"),
        ([0x70, 0x01], "wire type"),
        ([0x72, 0x01, 0xFF], "not UTF-8"),
        ([0x0F], "invalid wire type"),
        ([0x00], "invalid field number"),
        ([0x09, 0x01], "truncated 8-byte"),
        ([0x15, 0x01], "truncated 4-byte"),
        ([0x18] + Array(repeating: 0xFF, count: 10) + [0x01], "longer than 64 bits"),
        (Array(Wire.tag(96, 3)), "group 96 has no end"),
        (Array(Wire.tag(96, 4)), "without its start"),
    ] as [([UInt8], String)])
    func malformed(bytes: [UInt8], cause: String) {
        do {
            let json = try decode(Self.scalarsSchema, bytes)
            Issue.record("decoded \(bytes) as \(json)")
        } catch let error as SchemaRegistryError {
            #expect(error.kind == .serialization, "\(error)")
            #expect(error.message.contains(cause), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("Nesting deeper than the limit is refused, not recursed into")
    func deepNesting() {
        var node: [UInt8] = []
        for _ in 0..<1_000 { node = Wire.lengthDelimited(1, node) }
        #expect(throws: SchemaRegistryError.self) { try decode(Self.scalarsSchema, node, indexes: [1]) }
        #expect(throws: SchemaRegistryError.self) { try decode(Self.scalarsSchema, [], indexes: [2]) }
    }
}
