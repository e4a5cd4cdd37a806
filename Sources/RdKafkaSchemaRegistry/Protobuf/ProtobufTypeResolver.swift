/// Turns the type names written in fields into full names, by Protobuf's scoping rules:
/// the innermost enclosing message first, then outwards to the package and the root.
enum ProtobufTypeResolver {
    static func resolve(_ file: ParsedProtobufFile) throws(SchemaRegistryError) -> ProtobufSchema {
        var schema = ProtobufSchema(syntax: file.syntax, packageName: file.packageName, topLevelMessages: file.topLevelMessages, messages: file.messages, enums: file.enums)
        var wellKnown = WellKnownTypesOnUse()
        for (fullName, message) in file.messages {
            var resolved = message
            for index in resolved.fields.indices {
                resolved.fields[index].type = resolve(resolved.fields[index].type, in: fullName, schema: &schema, wellKnown: &wellKnown)
                if case .message = resolved.fields[index].type {
                    // A message field is absent or present whatever the syntax.
                    resolved.fields[index].tracksPresence = !resolved.fields[index].isRepeated
                }
            }
            schema.messages[fullName] = resolved
        }
        return schema
    }

    private static func resolve(
        _ type: ProtobufFieldType, in scope: String, schema: inout ProtobufSchema, wellKnown: inout WellKnownTypesOnUse
    ) -> ProtobufFieldType {
        switch type {
        case .named(let name):
            return lookUp(name, in: scope, schema: &schema, wellKnown: &wellKnown)
        case .map(let key, let value):
            return .map(key: key, value: resolve(value, in: scope, schema: &schema, wellKnown: &wellKnown))
        default:
            return type
        }
    }

    private static func lookUp(
        _ name: String, in scope: String, schema: inout ProtobufSchema, wellKnown: inout WellKnownTypesOnUse
    ) -> ProtobufFieldType {
        var candidates: [String] = []
        if name.hasPrefix(".") {
            candidates = [String(name.dropFirst())]
        } else {
            var enclosing = scope
            while !enclosing.isEmpty {
                candidates.append(enclosing + "." + name)
                enclosing = enclosing.lastIndex(of: ".").map { String(enclosing[..<$0]) } ?? ""
            }
            candidates.append(name)
        }
        for candidate in candidates {
            if schema.messages[candidate] != nil { return .message(candidate) }
            if schema.enums[candidate] != nil { return .enumeration(candidate) }
        }
        // Not in the file: one of Google's well-known types, added on first use, or a type
        // from a schema reference, which only its wire form can show.
        guard let wellKnown = wellKnown.schema else { return .unresolved(name) }
        for candidate in candidates {
            if let message = wellKnown.messages[candidate] {
                for (name, type) in wellKnown.messages where schema.messages[name] == nil { schema.messages[name] = type }
                for (name, type) in wellKnown.enums where schema.enums[name] == nil { schema.enums[name] = type }
                return .message(message.fullName)
            }
            if wellKnown.enums[candidate] != nil {
                for (name, type) in wellKnown.enums where schema.enums[name] == nil { schema.enums[name] = type }
                return .enumeration(candidate)
            }
        }
        return .unresolved(name)
    }
}

/// Google's well-known types for the resolution of one schema: parsed when the first name
/// the file lacks is looked up, then reused for the file's other names (a mutated or
/// reference-heavy schema has many).
struct WellKnownTypesOnUse {
    lazy var schema: ProtobufSchema? = WellKnownProtobufTypes.schema()
}

/// Google's well-known types that registry schemas import by file name, described in the
/// same `.proto` text so the ordinary parser reads them.
enum WellKnownProtobufTypes {
    /// Parsed on use (``WellKnownTypesOnUse``), at most once per schema: kept in a global,
    /// the parsed types sit behind enum payloads whose pointers carry tag bits, and
    /// LeakSanitizer then reports them as leaked (docs/testing.md).
    static func schema() -> ProtobufSchema? { try? ProtobufSchema(parsing: text) }

    static let timestamp = "google.protobuf.Timestamp"
    static let duration = "google.protobuf.Duration"
    static let structure = "google.protobuf.Struct"
    static let value = "google.protobuf.Value"
    static let listValue = "google.protobuf.ListValue"
    static let wrappers: Set<String> = [
        "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
        "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
        "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue",
    ]

    private static let text = """
        syntax = "proto3";
        package google.protobuf;
        message Timestamp { int64 seconds = 1; int32 nanos = 2; }
        message Duration { int64 seconds = 1; int32 nanos = 2; }
        message Empty {}
        message FieldMask { repeated string paths = 1; }
        message Any { string type_url = 1; bytes value = 2; }
        message DoubleValue { double value = 1; }
        message FloatValue { float value = 1; }
        message Int64Value { int64 value = 1; }
        message UInt64Value { uint64 value = 1; }
        message Int32Value { int32 value = 1; }
        message UInt32Value { uint32 value = 1; }
        message BoolValue { bool value = 1; }
        message StringValue { string value = 1; }
        message BytesValue { bytes value = 1; }
        message Struct { map<string, Value> fields = 1; }
        message Value {
          oneof kind {
            NullValue null_value = 1;
            double number_value = 2;
            string string_value = 3;
            bool bool_value = 4;
            Struct struct_value = 5;
            ListValue list_value = 6;
          }
        }
        enum NullValue { NULL_VALUE = 0; }
        message ListValue { repeated Value values = 1; }
        """
}
