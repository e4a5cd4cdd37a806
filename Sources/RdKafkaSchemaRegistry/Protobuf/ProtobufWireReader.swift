/// Protobuf's wire types: how the bytes after a field's tag are laid out.
enum ProtobufWireType: UInt8 {
    case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
}

/// Reads Protobuf's wire format from a range of a byte array. Every read checks the bytes
/// left, so malformed input is a ``SchemaRegistryError`` and never a trap or a large allocation.
struct ProtobufWireReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// The next tag: its field number and wire type.
    mutating func tag() throws(SchemaRegistryError) -> (number: Int, wireType: ProtobufWireType) {
        let key = try varint()
        guard let wireType = ProtobufWireType(rawValue: UInt8(key & 7)) else { throw Self.fail("invalid wire type \(key & 7) at byte \(position)") }
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else { throw Self.fail("invalid field number \(number) at byte \(position)") }
        return (Int(number), wireType)
    }

    mutating func varint() throws(SchemaRegistryError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw Self.fail("truncated varint at byte \(position)") }
            let byte = bytes[position]
            position += 1
            guard shift < 63 || byte <= 1 else { throw Self.fail("varint longer than 64 bits at byte \(position - 1)") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func fixed32() throws(SchemaRegistryError) -> UInt32 {
        guard end - position >= 4 else { throw Self.fail("truncated 4-byte value at byte \(position)") }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(bytes[position + offset]) << (8 * offset) }
        position += 4
        return value
    }

    mutating func fixed64() throws(SchemaRegistryError) -> UInt64 {
        guard end - position >= 8 else { throw Self.fail("truncated 8-byte value at byte \(position)") }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(bytes[position + offset]) << (8 * offset) }
        position += 8
        return value
    }

    /// The range of a length-delimited value, checked to fit in what is left.
    mutating func lengthDelimited() throws(SchemaRegistryError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw Self.fail("length \(length) at byte \(position) runs past the \(end - position) bytes left") }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// Skips a value of `wireType` (an unknown field); groups are skipped to their end tag.
    mutating func skip(_ wireType: ProtobufWireType, number: Int, depth: Int = 0) throws(SchemaRegistryError) {
        switch wireType {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try lengthDelimited()
        case .endGroup: throw Self.fail("end of group \(number) without its start")
        case .startGroup:
            guard depth < ProtobufJSONDecoder.maximumDepth else { throw Self.fail("groups nested deeper than \(ProtobufJSONDecoder.maximumDepth)") }
            while true {
                guard !isAtEnd else { throw Self.fail("group \(number) has no end") }
                let inner = try tag()
                if inner.wireType == .endGroup {
                    guard inner.number == number else { throw Self.fail("group \(number) ended by \(inner.number)") }
                    return
                }
                try skip(inner.wireType, number: inner.number, depth: depth + 1)
            }
        }
    }

    static func fail(_ message: String) -> SchemaRegistryError {
        SchemaRegistryError(.serialization, "malformed Protobuf message: \(message)")
    }
}
