import Foundation

/// The few bytes Confluent serializers put before a schema-encoded payload: a magic byte,
/// the schema's id (4 bytes, big-endian) or GUID (16 bytes), and for Protobuf the indexes
/// of the message type within its `.proto` file.
///
/// The same bytes are the value of a `__key_schema_id` / `__value_schema_id` header when the
/// schema id travels in a header instead of the payload. Reading never traps and never
/// allocates more than the input justifies: anything malformed is a ``SchemaRegistryError``
/// of kind ``SchemaRegistryError/Kind/invalidWireFormat``.
public struct ConfluentWireFormat: Hashable, Sendable {
    /// The magic byte of the integer-id form.
    public static let idMagicByte: UInt8 = 0
    /// The magic byte of the GUID form.
    public static let guidMagicByte: UInt8 = 1
    /// The header carrying a key's schema id.
    public static let keySchemaIDHeader = "__key_schema_id"
    /// The header carrying a value's schema id.
    public static let valueSchemaIDHeader = "__value_schema_id"

    public var schemaID: SchemaID
    /// Protobuf only: the path to the message type, `[0]` for the first top-level message.
    /// Empty for Avro and JSON Schema, whose framing has no indexes.
    public var messageIndexes: [Int32]

    public init(schemaID: SchemaID, messageIndexes: [Int32] = []) {
        self.schemaID = schemaID
        self.messageIndexes = messageIndexes
    }

    /// The framing's bytes; for Protobuf pass `withMessageIndexes: true` (an empty index
    /// list is then written as `[0]`).
    public func encoded(withMessageIndexes: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        write(into: &bytes, withMessageIndexes: withMessageIndexes)
        return bytes
    }

    /// Appends the framing's bytes to `bytes`.
    public func write(into bytes: inout [UInt8], withMessageIndexes: Bool = false) {
        switch schemaID {
        case .id(let id):
            bytes.append(Self.idMagicByte)
            withUnsafeBytes(of: id.bigEndian) { bytes.append(contentsOf: $0) }
        case .guid(let guid):
            bytes.append(Self.guidMagicByte)
            withUnsafeBytes(of: guid.uuid) { bytes.append(contentsOf: $0) }
        }
        guard withMessageIndexes else { return }
        if messageIndexes.isEmpty || messageIndexes == [0] {
            // The common case has a one-byte form.
            bytes.append(0)
        } else {
            Self.writeZigZag(Int32(messageIndexes.count), into: &bytes)
            for index in messageIndexes { Self.writeZigZag(index, into: &bytes) }
        }
    }

    /// Reads the framing at the start of `bytes`; returns it and the payload after it.
    public static func read(
        _ bytes: UnsafeRawBufferPointer,
        withMessageIndexes: Bool = false
    ) throws(SchemaRegistryError) -> (framing: ConfluentWireFormat, payload: UnsafeRawBufferPointer) {
        guard let magic = bytes.first else { throw .invalidWireFormat("empty payload: no magic byte") }
        var offset = 1
        let schemaID: SchemaID
        switch magic {
        case idMagicByte:
            guard bytes.count >= 5 else { throw .invalidWireFormat("\(bytes.count) bytes: too short for a magic byte and a 4-byte schema id") }
            schemaID = .id(Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: 1, as: Int32.self)))
            offset = 5
        case guidMagicByte:
            guard bytes.count >= 17 else { throw .invalidWireFormat("\(bytes.count) bytes: too short for a magic byte and a 16-byte schema GUID") }
            var uuid = UUID().uuid
            withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[1..<17])) }
            schemaID = .guid(UUID(uuid: uuid))
            offset = 17
        default:
            throw .invalidWireFormat("unknown magic byte \(magic): not written by a schema registry serializer")
        }
        var indexes: [Int32] = []
        if withMessageIndexes {
            let count = try readZigZag(bytes, &offset)
            // Each index takes at least one byte, which bounds the allocation by the input.
            guard count >= 0, count <= bytes.count - offset else {
                throw .invalidWireFormat("message index count \(count) does not fit the \(bytes.count - offset) bytes left")
            }
            if count == 0 {
                indexes = [0]
            } else {
                indexes.reserveCapacity(Int(count))
                for _ in 0..<count {
                    let index = try readZigZag(bytes, &offset)
                    guard index >= 0 else { throw .invalidWireFormat("negative message index \(index)") }
                    indexes.append(index)
                }
            }
        }
        return (ConfluentWireFormat(schemaID: schemaID, messageIndexes: indexes), UnsafeRawBufferPointer(rebasing: bytes[offset...]))
    }

    /// Reads a framing that fills `bytes` entirely, as a schema-id header's value does.
    public static func read(header bytes: [UInt8], withMessageIndexes: Bool = false) throws(SchemaRegistryError) -> ConfluentWireFormat {
        do {
            return try bytes.withUnsafeBytes { try read($0, withMessageIndexes: withMessageIndexes).framing }
        } catch let error as SchemaRegistryError {
            throw error
        } catch {
            throw .invalidWireFormat("\(error)")
        }
    }

    // Protobuf's indexes are zig-zag varints, as Confluent's Java and Python clients write them.
    private static func writeZigZag(_ value: Int32, into bytes: inout [UInt8]) {
        var encoded = UInt32(bitPattern: (value << 1) ^ (value >> 31))
        while encoded >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: encoded) | 0x80)
            encoded >>= 7
        }
        bytes.append(UInt8(encoded))
    }

    private static func readZigZag(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) throws(SchemaRegistryError) -> Int32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard offset < bytes.count else { throw .invalidWireFormat("truncated message index") }
            let byte = bytes[offset]
            offset += 1
            guard shift < 32, shift < 28 || byte & 0x70 == 0 else { throw .invalidWireFormat("message index varint longer than 32 bits") }
            result |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int32(bitPattern: result >> 1) ^ -Int32(bitPattern: result & 1)
    }
}
