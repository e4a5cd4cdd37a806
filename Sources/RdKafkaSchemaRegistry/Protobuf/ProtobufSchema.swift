/// A `.proto` file as the schema registry holds it, reduced to what decoding a message
/// needs: its messages (nested ones included), their fields and the enums they use.
///
/// Made by ``init(parsing:)`` from the registry's schema text; type names in fields are
/// resolved to full names, so the decoder looks them up in ``messages`` and ``enums``.
package struct ProtobufSchema: Sendable {
    package enum Syntax: Sendable { case proto2, proto3 }

    package var syntax: Syntax
    /// The `package` declaration, empty when there is none.
    package var packageName: String
    /// Full names of the top-level messages, in file order: what message index 0, 1, ... select.
    package var topLevelMessages: [String]
    /// Every message of the file, nested ones included, and the well-known types it uses.
    package var messages: [String: ProtobufMessageType]
    /// Every enum of the file, by full name.
    package var enums: [String: ProtobufEnumType]

    /// The message type Confluent's message indexes select: the first index picks a
    /// top-level message, each further one a message nested in the previous.
    package func messageType(at indexes: [Int32]) throws(SchemaRegistryError) -> ProtobufMessageType {
        var candidates = topLevelMessages
        var selected: ProtobufMessageType?
        for index in indexes.isEmpty ? [0] : indexes {
            guard index >= 0, Int(index) < candidates.count, let message = messages[candidates[Int(index)]] else {
                throw SchemaRegistryError(.serialization, "message indexes \(indexes) select no message of the schema")
            }
            selected = message
            candidates = message.nestedMessages
        }
        guard let selected else { throw SchemaRegistryError(.serialization, "message indexes \(indexes) select no message of the schema") }
        return selected
    }
}

/// A message type: its fields by number, and its nested messages for message indexes.
package struct ProtobufMessageType: Sendable {
    package var fullName: String
    package var fields: [ProtobufField]
    /// Full names of the messages declared inside, in declaration order (map entries excluded).
    package var nestedMessages: [String]

    package func field(number: Int) -> ProtobufField? {
        fields.first { $0.number == number }
    }
}

/// A field of a message.
package struct ProtobufField: Sendable {
    package var name: String
    /// The proto3 JSON mapping's name: `json_name` when set, else the name in lowerCamelCase.
    package var jsonName: String
    package var number: Int
    package var type: ProtobufFieldType
    package var isRepeated: Bool
    /// Whether a default value on the wire is printed: proto2 fields, `optional`, oneof members.
    /// proto3's plain scalars are left out at their default, as the JSON mapping says.
    package var tracksPresence: Bool
    /// The oneof the field belongs to: a later member on the wire replaces an earlier one.
    package var oneof: String?
}

/// What a field holds.
package indirect enum ProtobufFieldType: Sendable, Equatable {
    case scalar(ProtobufScalarType)
    /// A message type, by full name.
    case message(String)
    /// An enum, by full name.
    case enumeration(String)
    /// `map<K, V>`: on the wire a repeated entry message with the key as field 1, the value as 2.
    case map(key: ProtobufScalarType, value: ProtobufFieldType)
    /// A type the schema imports from elsewhere (a schema reference): printed from its wire
    /// form alone, a number for a varint, base64 for bytes.
    case unresolved(String)
    /// A name as written, before resolution; never left in a parsed schema.
    case named(String)
}

/// Protobuf's scalar value types.
package enum ProtobufScalarType: String, Sendable, CaseIterable {
    case double, float, int32, int64, uint32, uint64, sint32, sint64
    case fixed32, fixed64, sfixed32, sfixed64, bool, string, bytes

    /// The wire type a single value of this type is written with.
    var wireType: ProtobufWireType {
        switch self {
        case .double, .fixed64, .sfixed64: .fixed64
        case .float, .fixed32, .sfixed32: .fixed32
        case .string, .bytes: .lengthDelimited
        default: .varint
        }
    }

    /// Whether a map key may have this type: integral types, bool and string.
    var isValidMapKey: Bool {
        switch self {
        case .double, .float, .bytes: false
        default: true
        }
    }
}

/// An enum type: the name of each number (the first, when aliases share one).
package struct ProtobufEnumType: Sendable {
    package var fullName: String
    package var names: [Int32: String]
}
