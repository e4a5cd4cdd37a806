/// Decodes Protobuf messages without generated types, guided by a parsed
/// ``ProtobufSchema``, into JSON text following the proto3 JSON mapping: lowerCamelCase
/// names, 64-bit integers as strings, bytes as base64, enums by name, maps as objects,
/// Timestamp and Duration as strings, wrappers as their value.
///
/// Fields print in field-number order; unknown fields are skipped. Malformed bytes are a
/// ``SchemaRegistryError`` of kind ``SchemaRegistryError/Kind/serialization`` naming the cause.
package struct ProtobufJSONDecoder: Sendable {
    package let schema: ProtobufSchema
    /// How deep messages may nest in a payload; deeper input is refused, not recursed into.
    static let maximumDepth = 100

    package init(schema: ProtobufSchema) {
        self.schema = schema
    }

    /// The JSON text of `payload`, a message of the type `messageIndexes` selects.
    package func json(of payload: [UInt8], messageIndexes: [Int32]) throws(SchemaRegistryError) -> String {
        let type = try schema.messageType(at: messageIndexes)
        return try message(type, bytes: payload, ranges: [payload.indices], depth: 0)
    }

    /// What the wire held for one field, before it is printed.
    private enum Accumulated {
        case single(String, isDefault: Bool)
        case list([String])
        /// A singular message: later occurrences merge into earlier ones, which reading
        /// their bytes one after the other does.
        case message([Range<Int>])
        case map(keys: [String], values: [String: String])
    }

    /// A message made of the bytes in `ranges`, read in order.
    func message(_ type: ProtobufMessageType, bytes: [UInt8], ranges: [Range<Int>], depth: Int) throws(SchemaRegistryError) -> String {
        guard depth < Self.maximumDepth else { throw ProtobufWireReader.fail("messages nested deeper than \(Self.maximumDepth)") }
        if let special = try wellKnown(type, bytes: bytes, ranges: ranges, depth: depth) { return special }
        let members = try fields(type, bytes: bytes, ranges: ranges, depth: depth)
        return "{" + members.map { "\(ProtobufJSONText.quoted($0.field.jsonName)):\($0.json)" }.joined(separator: ",") + "}"
    }

    /// The fields present, in field-number order, each with its JSON text.
    func fields(_ type: ProtobufMessageType, bytes: [UInt8], ranges: [Range<Int>], depth: Int) throws(SchemaRegistryError) -> [(field: ProtobufField, json: String)] {
        var values: [Int: Accumulated] = [:]
        for range in ranges {
            var reader = ProtobufWireReader(bytes: bytes, range: range)
            while !reader.isAtEnd {
                let (number, wireType) = try reader.tag()
                guard let field = type.field(number: number) else {
                    try reader.skip(wireType, number: number)
                    continue
                }
                if let oneof = field.oneof {
                    for other in type.fields where other.oneof == oneof && other.number != number { values[other.number] = nil }
                }
                try read(field, wireType: wireType, from: &reader, into: &values, depth: depth)
            }
        }
        var members: [(field: ProtobufField, json: String)] = []
        for field in type.fields.sorted(by: { $0.number < $1.number }) {
            switch values[field.number] {
            case nil: continue
            case .single(let json, let isDefault):
                if isDefault && !field.tracksPresence { continue }
                members.append((field, json))
            case .list(let items):
                members.append((field, "[" + items.joined(separator: ",") + "]"))
            case .message(let ranges):
                guard case .message(let name) = field.type, let nested = schema.messages[name] else { continue }
                members.append((field, try message(nested, bytes: bytes, ranges: ranges, depth: depth + 1)))
            case .map(let keys, let entries):
                members.append((field, "{" + keys.map { "\($0):\(entries[$0] ?? "null")" }.joined(separator: ",") + "}"))
            }
        }
        return members
    }

    private func read(_ field: ProtobufField, wireType: ProtobufWireType, from reader: inout ProtobufWireReader, into values: inout [Int: Accumulated], depth: Int) throws(SchemaRegistryError) {
        switch field.type {
        case .map(let keyType, let valueType):
            guard wireType == .lengthDelimited else { throw mismatch(field, wireType) }
            let (key, value) = try mapEntry(bytes: reader.bytes, range: try reader.lengthDelimited(), key: keyType, value: valueType, depth: depth)
            guard case .map(var keys, var entries) = values[field.number] ?? .map(keys: [], values: [:]) else { return }
            if entries[key] == nil { keys.append(key) }
            entries[key] = value
            values[field.number] = .map(keys: keys, values: entries)
        case .message(let name):
            guard wireType == .lengthDelimited else { throw mismatch(field, wireType) }
            let range = try reader.lengthDelimited()
            if field.isRepeated {
                guard let nested = schema.messages[name] else { return }
                append(try message(nested, bytes: reader.bytes, ranges: [range], depth: depth + 1), to: field, in: &values)
            } else if case .message(let earlier) = values[field.number] {
                values[field.number] = .message(earlier + [range])
            } else {
                values[field.number] = .message([range])
            }
        default:
            let expected = expectedWireType(field.type, actual: wireType)
            if field.isRepeated, wireType == .lengthDelimited, expected != .lengthDelimited {
                // Packed: the values one after the other in one length-delimited run.
                var packed = ProtobufWireReader(bytes: reader.bytes, range: try reader.lengthDelimited())
                while !packed.isAtEnd {
                    append(try scalar(field.type, expected, from: &packed).json, to: field, in: &values)
                }
                return
            }
            guard wireType == expected else { throw mismatch(field, wireType) }
            let value = try scalar(field.type, wireType, from: &reader)
            if field.isRepeated {
                append(value.json, to: field, in: &values)
            } else {
                values[field.number] = .single(value.json, isDefault: value.isDefault)
            }
        }
    }

    private func append(_ json: String, to field: ProtobufField, in values: inout [Int: Accumulated]) {
        if case .list(var items) = values[field.number] {
            values[field.number] = nil
            items.append(json)
            values[field.number] = .list(items)
        } else {
            values[field.number] = .list([json])
        }
    }

    /// A map entry: key (field 1) as a JSON object key, value (field 2); absent ones default.
    private func mapEntry(bytes: [UInt8], range: Range<Int>, key keyType: ProtobufScalarType, value valueType: ProtobufFieldType, depth: Int) throws(SchemaRegistryError) -> (String, String) {
        let keyField = ProtobufField(name: "key", jsonName: "key", number: 1, type: .scalar(keyType), isRepeated: false, tracksPresence: true, oneof: nil)
        let valueField = ProtobufField(name: "value", jsonName: "value", number: 2, type: valueType, isRepeated: false, tracksPresence: true, oneof: nil)
        let entry = ProtobufMessageType(fullName: "map entry", fields: [keyField, valueField], nestedMessages: [])
        let present = try fields(entry, bytes: bytes, ranges: [range], depth: depth + 1)
        var key = present.first { $0.field.number == 1 }?.json ?? ProtobufJSONText.defaultValue(keyType)
        if !key.hasPrefix("\"") { key = ProtobufJSONText.quoted(key) }
        if let value = present.first(where: { $0.field.number == 2 })?.json { return (key, value) }
        switch valueType {
        case .scalar(let scalar): return (key, ProtobufJSONText.defaultValue(scalar))
        case .enumeration(let name): return (key, ProtobufJSONText.quoted(schema.enums[name]?.names[0] ?? "0"))
        case .message(let name):
            guard let type = schema.messages[name] else { return (key, "{}") }
            return (key, try message(type, bytes: [], ranges: [], depth: depth + 1))
        default: return (key, "null")
        }
    }

    private func expectedWireType(_ type: ProtobufFieldType, actual: ProtobufWireType) -> ProtobufWireType {
        switch type {
        case .scalar(let scalar): scalar.wireType
        case .enumeration: .varint
        // A type from elsewhere is taken as the wire says, unless it is a group.
        default: actual == .startGroup || actual == .endGroup ? .lengthDelimited : actual
        }
    }

    private func mismatch(_ field: ProtobufField, _ wireType: ProtobufWireType) -> SchemaRegistryError {
        ProtobufWireReader.fail("field \(field.number) (\(field.name)) has wire type \(wireType.rawValue), which its type cannot have")
    }
}
