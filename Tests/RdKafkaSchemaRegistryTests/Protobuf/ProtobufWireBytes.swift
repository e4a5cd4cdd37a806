/// Protobuf wire-format bytes written by hand, for what no swift-protobuf type in the tests
/// produces (every scalar type, packed and unpacked, maps, oneofs, unknown fields).
enum ProtobufWireBytes {
    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        return bytes + [UInt8(value)]
    }

    static func tag(_ number: Int, _ wireType: UInt8) -> [UInt8] {
        varint(UInt64(number) << 3 | UInt64(wireType))
    }

    static func varintField(_ number: Int, _ value: UInt64) -> [UInt8] {
        tag(number, 0) + varint(value)
    }

    static func fixed32Field(_ number: Int, _ value: UInt32) -> [UInt8] {
        tag(number, 5) + withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    static func fixed64Field(_ number: Int, _ value: UInt64) -> [UInt8] {
        tag(number, 1) + withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    static func lengthDelimited(_ number: Int, _ bytes: [UInt8]) -> [UInt8] {
        tag(number, 2) + varint(UInt64(bytes.count)) + bytes
    }

    static func string(_ number: Int, _ text: String) -> [UInt8] {
        lengthDelimited(number, Array(text.utf8))
    }

    static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
