import Foundation
import RdKafkaSchemaRegistry
import Testing

@Suite("Confluent wire format")
struct WireFormatTests {
    @Test("an id framing is magic byte 0 and the id big-endian, then the payload")
    func idFraming() throws {
        let bytes = ConfluentWireFormat(schemaID: .id(0x0102_0304)).encoded() + [0xAA, 0xBB]
        #expect(bytes == [0, 1, 2, 3, 4, 0xAA, 0xBB])
        try bytes.withUnsafeBytes { buffer in
            let (framing, payload) = try ConfluentWireFormat.read(buffer)
            #expect(framing.schemaID == .id(0x0102_0304))
            #expect(Array(payload) == [0xAA, 0xBB])
        }
    }

    @Test("Protobuf message indexes: [0] as one zero byte, others as zig-zag varints; GUIDs round-trip")
    func messageIndexes() throws {
        #expect(ConfluentWireFormat(schemaID: .id(1), messageIndexes: [0]).encoded(withMessageIndexes: true) == [0, 0, 0, 0, 1, 0])
        // count 2 -> 4, index 1 -> 2, index 300 -> 600 = 0xD8 0x04
        #expect(ConfluentWireFormat(schemaID: .id(1), messageIndexes: [1, 300]).encoded(withMessageIndexes: true) == [0, 0, 0, 0, 1, 4, 2, 0xD8, 0x04])
        let guid = UUID()
        for framing in [
            ConfluentWireFormat(schemaID: .id(7), messageIndexes: [0]),
            ConfluentWireFormat(schemaID: .id(7), messageIndexes: [2, 0, 5]),
            ConfluentWireFormat(schemaID: .guid(guid), messageIndexes: [3]),
        ] {
            let read = try ConfluentWireFormat.read(header: framing.encoded(withMessageIndexes: true), withMessageIndexes: true)
            #expect(read == framing)
        }
    }

    @Test("malformed framings are typed errors", arguments: [
        [], [1], [0, 0, 0], [2, 0, 0, 0, 1], [0, 0, 0, 0, 1, 0x7F], [0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], [0, 0, 0, 0, 1, 2, 1],
    ] as [[UInt8]])
    func malformed(bytes: [UInt8]) {
        let error = bytes.withUnsafeBytes { buffer in
            #expect(throws: SchemaRegistryError.self) { try ConfluentWireFormat.read(buffer, withMessageIndexes: true) }
        }
        #expect(error?.kind == .invalidWireFormat)
    }

    @Test("random bytes never trap: they read or throw a typed error")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...24, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...3, using: &generator) * (Bool.random() ? 1 : 85) }
            bytes.withUnsafeBytes { buffer in
                if let (framing, payload) = try? ConfluentWireFormat.read(buffer, withMessageIndexes: true) {
                    #expect(payload.count <= buffer.count)
                    #expect(framing.messageIndexes.count <= buffer.count)
                }
            }
        }
    }
}
