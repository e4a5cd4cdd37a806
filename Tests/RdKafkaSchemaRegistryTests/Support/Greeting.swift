import SwiftProtobuf

/// A tiny Protobuf message, hand-written so that the build needs no protoc plugin:
///
/// ```proto
/// syntax = "proto3";
/// package test;
/// message Greeting { string text = 1; int32 count = 2; }
/// ```
struct Greeting: SwiftProtobuf.Message, Equatable, Sendable {
    static let protoMessageName = "test.Greeting"
    static let proto = """
    syntax = "proto3";
    package test;

    message Greeting {
      string text = 1;
      int32 count = 2;
    }
    """

    var text = ""
    var count: Int32 = 0
    var unknownFields = SwiftProtobuf.UnknownStorage()

    init() {}

    init(text: String, count: Int32) {
        self.text = text
        self.count = count
    }

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeSingularStringField(value: &text)
            case 2: try decoder.decodeSingularInt32Field(value: &count)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if !text.isEmpty { try visitor.visitSingularStringField(value: text, fieldNumber: 1) }
        if count != 0 { try visitor.visitSingularInt32Field(value: count, fieldNumber: 2) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool {
        (message as? Greeting) == self
    }
}

/// Field names, as generated code has them, so that swift-protobuf's `jsonString()` works:
/// the dynamic decoder's output is compared with it.
extension Greeting: SwiftProtobuf._ProtoNameProviding {
    static let _protobuf_nameMap = SwiftProtobuf._NameMap(bytecode: "\0\u{1}text\0\u{1}count\0")
}
