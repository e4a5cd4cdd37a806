/// Reads Avro's binary primitives from a buffer. Every length is checked against what is
/// left before anything is allocated, so hostile input cannot make a huge allocation.
struct BinaryReader {
    private let base: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ base: UnsafeRawBufferPointer) {
        self.base = base
    }

    var isAtEnd: Bool { position == base.count }
    var remaining: Int { base.count - position }

    private func malformed(_ reason: String) -> AvroError {
        AvroError(.malformedData, reason: "\(reason) at byte \(position)")
    }

    mutating func readLong() throws(AvroError) -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < base.count else { throw malformed("input ends inside a varint") }
            let byte = base[position]
            position += 1
            if shift == 63, byte > 1 { throw malformed("varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }

    mutating func readInt() throws(AvroError) -> Int32 {
        let value = try readLong()
        guard let int = Int32(exactly: value) else { throw malformed("int \(value) out of 32-bit range") }
        return int
    }

    mutating func readBoolean() throws(AvroError) -> Bool {
        guard position < base.count else { throw malformed("input ends inside a boolean") }
        let byte = base[position]
        position += 1
        guard byte <= 1 else { throw malformed("boolean byte \(byte) is neither 0 nor 1") }
        return byte == 1
    }

    private mutating func readLittleEndian(_ size: Int) throws(AvroError) -> UInt64 {
        guard remaining >= size else { throw malformed("input ends inside a \(size)-byte number") }
        var bits: UInt64 = 0
        for offset in 0..<size { bits |= UInt64(base[position + offset]) << (8 * offset) }
        position += size
        return bits
    }

    mutating func readFloat() throws(AvroError) -> Float {
        Float(bitPattern: UInt32(truncatingIfNeeded: try readLittleEndian(4)))
    }

    mutating func readDouble() throws(AvroError) -> Double {
        Double(bitPattern: try readLittleEndian(8))
    }

    /// A length prefix: not negative and not past the end of the input.
    mutating func readLength() throws(AvroError) -> Int {
        let length = try readLong()
        guard length >= 0 else { throw malformed("negative length \(length)") }
        guard length <= remaining else { throw malformed("length \(length) exceeds the \(remaining) bytes left") }
        return Int(length)
    }

    mutating func readFixed(_ size: Int) throws(AvroError) -> [UInt8] {
        guard size <= remaining else { throw malformed("fixed of \(size) bytes exceeds the \(remaining) bytes left") }
        let bytes = Array(UnsafeRawBufferPointer(rebasing: base[position..<position + size]))
        position += size
        return bytes
    }

    mutating func readBytes() throws(AvroError) -> [UInt8] {
        try readFixed(try readLength())
    }

    mutating func readString() throws(AvroError) -> String {
        let length = try readLength()
        let slice = UnsafeRawBufferPointer(rebasing: base[position..<position + length])
        position += length
        // ASCII is valid UTF-8 and decodes without the validating initializer, which is
        // not specialized and looks up generic metadata on every call.
        if slice.allSatisfy({ $0 < 0x80 }) {
            return slice.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
        }
        guard let string = String(validating: slice, as: UTF8.self) else {
            position -= length
            throw malformed("string is not valid UTF-8")
        }
        return string
    }

    mutating func skip(_ count: Int) throws(AvroError) {
        guard count >= 0, count <= remaining else { throw malformed("cannot skip \(count) bytes with \(remaining) left") }
        position += count
    }

    /// The item count of the next block of an array or map (0 at the end), reading past the
    /// byte size a negative count carries.
    mutating func readBlockCount() throws(AvroError) -> Int {
        let count = try readLong()
        if count >= 0 { return Int(count) }
        guard count != .min else { throw malformed("block count out of range") }
        _ = try readLength()
        return Int(-count)
    }

    /// Like ``readBlockCount()`` but returns a negative count's byte size too, so a skipper
    /// can jump over the block.
    mutating func readBlockHeader() throws(AvroError) -> (count: Int, byteSize: Int?) {
        let count = try readLong()
        if count >= 0 { return (Int(count), nil) }
        guard count != .min else { throw malformed("block count out of range") }
        return (Int(-count), try readLength())
    }
}
