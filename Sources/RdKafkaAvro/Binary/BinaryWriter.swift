/// Appends Avro's binary primitives to a byte buffer.
struct BinaryWriter {
    var output: [UInt8]

    mutating func writeLong(_ value: Int64) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigzag >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
            zigzag >>= 7
        }
        output.append(UInt8(zigzag))
    }

    mutating func writeInt(_ value: Int32) {
        writeLong(Int64(value))
    }

    mutating func writeBoolean(_ value: Bool) {
        output.append(value ? 1 : 0)
    }

    mutating func writeFloat(_ value: Float) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8(truncatingIfNeeded: bits >> shift)) }
    }

    mutating func writeDouble(_ value: Double) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { output.append(UInt8(truncatingIfNeeded: bits >> shift)) }
    }

    mutating func writeBytes(_ bytes: [UInt8]) {
        writeLong(Int64(bytes.count))
        output.append(contentsOf: bytes)
    }

    mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            writeLong(Int64(utf8.count))
            output.append(contentsOf: utf8)
        }
    }

    mutating func writeFixed(_ bytes: [UInt8]) {
        output.append(contentsOf: bytes)
    }
}
