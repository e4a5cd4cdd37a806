import Foundation
import RdKafkaAvro

/// How Protobuf's scalar values are written in the proto3 JSON mapping.
enum ProtobufJSONText {
    static func quoted(_ text: String) -> String { JSONValue.quoted(text) }

    /// A float or double: shortest round-tripping digits, no `.0` on whole numbers, and
    /// the strings the mapping uses for NaN and the infinities.
    static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    static func defaultValue(_ type: ProtobufScalarType) -> String {
        switch type {
        case .bool: "false"
        case .string, .bytes: "\"\""
        case .int64, .uint64, .sint64, .fixed64, .sfixed64: "\"0\""
        default: "0"
        }
    }
}

extension ProtobufJSONDecoder {
    /// One scalar, enum or imported-type value of wire type `wireType`, and whether it is
    /// its type's default (left out of proto3 output when the field has no presence).
    func scalar(_ type: ProtobufFieldType, _ wireType: ProtobufWireType, from reader: inout ProtobufWireReader) throws(SchemaRegistryError) -> (json: String, isDefault: Bool) {
        switch type {
        case .enumeration(let name):
            let number = Int32(truncatingIfNeeded: try reader.varint())
            return (schema.enums[name]?.names[number].map(ProtobufJSONText.quoted) ?? String(number), number == 0)
        case .scalar(let scalar):
            return try self.scalar(scalar, from: &reader)
        default:
            switch wireType {
            case .varint: return (String(try reader.varint()), false)
            case .fixed32: return (String(try reader.fixed32()), false)
            case .fixed64: return (ProtobufJSONText.quoted(String(try reader.fixed64())), false)
            default: return try scalar(.bytes, from: &reader)
            }
        }
    }

    private func scalar(_ type: ProtobufScalarType, from reader: inout ProtobufWireReader) throws(SchemaRegistryError) -> (json: String, isDefault: Bool) {
        func integer<T: BinaryInteger>(_ value: T, quoted: Bool = false) -> (String, Bool) {
            (quoted ? ProtobufJSONText.quoted(String(value)) : String(value), value == 0)
        }
        switch type {
        case .int32: return integer(Int32(truncatingIfNeeded: try reader.varint()))
        case .int64: return integer(Int64(bitPattern: try reader.varint()), quoted: true)
        case .uint32: return integer(UInt32(truncatingIfNeeded: try reader.varint()))
        case .uint64: return integer(try reader.varint(), quoted: true)
        case .sint32:
            let raw = UInt32(truncatingIfNeeded: try reader.varint())
            return integer(Int32(bitPattern: raw >> 1) ^ -Int32(bitPattern: raw & 1))
        case .sint64:
            let raw = try reader.varint()
            return integer(Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1), quoted: true)
        case .fixed32: return integer(try reader.fixed32())
        case .fixed64: return integer(try reader.fixed64(), quoted: true)
        case .sfixed32: return integer(Int32(bitPattern: try reader.fixed32()))
        case .sfixed64: return integer(Int64(bitPattern: try reader.fixed64()), quoted: true)
        case .bool: 
            let value = try reader.varint()
            return (value != 0 ? "true" : "false", value == 0)
        case .float:
            let value = Float(bitPattern: try reader.fixed32())
            return (ProtobufJSONText.number(value), value == 0 && value.sign == .plus)
        case .double:
            let value = Double(bitPattern: try reader.fixed64())
            return (ProtobufJSONText.number(value), value == 0 && value.sign == .plus)
        case .string:
            let range = try reader.lengthDelimited()
            guard let text = String(validating: reader.bytes[range], as: UTF8.self) else {
                throw ProtobufWireReader.fail("a string field at byte \(range.lowerBound) is not UTF-8")
            }
            return (ProtobufJSONText.quoted(text), range.isEmpty)
        case .bytes:
            let range = try reader.lengthDelimited()
            return (ProtobufJSONText.quoted(Data(reader.bytes[range]).base64EncodedString()), range.isEmpty)
        }
    }
}
