import RdKafkaSchemaRegistry
import Testing

@Suite("Protobuf schema text")
struct ProtobufSchemaParserTests {
    static let twoFiles = """
        // A leading comment.
        syntax = "proto3";
        package shop.v1;
        import public "google/protobuf/timestamp.proto";
        option java_package = "com.example.shop";
        option (custom) = { a: 1, b: [2, 3] };

        /* An order. */
        message Order {
          reserved 4, 8 to 10;
          reserved "legacy";
          option deprecated = true;
          string id = 1 [json_name = "orderId", deprecated = true];
          google.protobuf.Timestamp placed_at = 2;
          Line first_line = 3;
          repeated Line lines = 5 [packed = false];
          Status status = 6;
          .shop.v1.Customer customer = 7;
          map<string, Line> by_sku = 11;
          oneof payment { string card = 12; string voucher = 13; }
          optional int64 total = 14;
          external.Thing thing = 15;
          message Line { string sku = 1; uint32 quantity = 2; message Note { string text = 1; } }
          enum Status { option allow_alias = true; NEW = 0; OPEN = 0; PAID = 1; }
        }
        message Customer { string name = 1; Order.Status last = 2; }
        service Orders { rpc Place (Order) returns (Order) { option idempotency_level = IDEMPOTENT; } }
        """

    @Test("Messages, nested types, maps, oneofs and imports are read and their names resolved")
    func parsesAndResolves() throws {
        let schema = try ProtobufSchema(parsing: Self.twoFiles)
        #expect(schema.syntax == .proto3)
        #expect(schema.packageName == "shop.v1")
        #expect(schema.topLevelMessages == ["shop.v1.Order", "shop.v1.Customer"])
        let order = try schema.messageType(at: [0])
        #expect(order.fullName == "shop.v1.Order")
        #expect(order.nestedMessages == ["shop.v1.Order.Line"])
        #expect(try schema.messageType(at: [0, 0]).fullName == "shop.v1.Order.Line")
        #expect(try schema.messageType(at: [0, 0, 0]).fullName == "shop.v1.Order.Line.Note")
        #expect(try schema.messageType(at: [1]).fullName == "shop.v1.Customer")
        #expect(throws: SchemaRegistryError.self) { try schema.messageType(at: [2]) }
        #expect(throws: SchemaRegistryError.self) { try schema.messageType(at: [1, 0]) }

        func field(_ number: Int) throws -> ProtobufField { try #require(order.field(number: number)) }
        #expect(try field(1).jsonName == "orderId")
        #expect(try field(2).type == .message("google.protobuf.Timestamp"))
        #expect(try field(2).jsonName == "placedAt")
        #expect(try field(3).type == .message("shop.v1.Order.Line"))
        #expect(try field(5).isRepeated)
        #expect(try field(6).type == .enumeration("shop.v1.Order.Status"))
        #expect(try field(7).type == .message("shop.v1.Customer"))
        #expect(try field(11).type == .map(key: .string, value: .message("shop.v1.Order.Line")))
        #expect(try field(12).oneof == "payment")
        #expect(try field(13).oneof == "payment")
        #expect(try field(14).tracksPresence)
        #expect(try !field(1).tracksPresence)
        #expect(try field(15).type == .unresolved("external.Thing"))
        #expect(schema.messages["shop.v1.Customer"]?.field(number: 2)?.type == .enumeration("shop.v1.Order.Status"))
        #expect(schema.enums["shop.v1.Order.Status"]?.names == [0: "NEW", 1: "PAID"])
    }

    @Test("proto2: labels, presence on every field, negative enum numbers, hex and octal field numbers")
    func proto2() throws {
        let schema = try ProtobufSchema(parsing: """
            syntax = "proto2";
            message Legacy {
              required string name = 0x1;
              optional sint32 delta = 02 [default = -1];
              repeated Kind kinds = 3;
              extensions 100 to max;
              enum Kind { MINUS = -1; ZERO = 0; }
            }
            extend Legacy { optional int32 extra = 100; }
            """)
        let legacy = try schema.messageType(at: [0])
        #expect(legacy.fields.map(\.number) == [1, 2, 3])
        let everyFieldTracksPresence = legacy.fields.allSatisfy(\.tracksPresence)
        #expect(everyFieldTracksPresence)
        #expect(schema.enums["Legacy.Kind"]?.names[-1] == "MINUS")
    }

    @Test("Malformed schema text is a typed invalidSchema error naming the line", arguments: [
        "message {",
        "message A { int32 x = ; }",
        "message A { int32 x = 0; }",
        "message A { int32 x = 536870912; }",
        "syntax = \"proto4\";",
        "edition = \"2023\";",
        "message A { map<double, int32> m = 1; }",
        "message A { int32 x = 1; int32 y = 1; }",
        "message A {} message A {}",
        "/* never closed",
        "message A { string s = 1 [json_name = \"x]; }",
        "message A { repeated group G = 1 { } }",
        "option x = { ;",
        "message A { int32 x = 1 }",
        "enum E { A = 99999999999; }",
        "message A { int32 x = 1; } }",
        "message A { # }",
        String(repeating: "message M { ", count: 100) + String(repeating: "} ", count: 100),
    ])
    func malformed(text: String) {
        do {
            _ = try ProtobufSchema(parsing: text)
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.kind == .invalidSchema, "\(error)")
            #expect(error.message.hasPrefix("Protobuf schema, line "), "\(error)")
        }
    }
}
