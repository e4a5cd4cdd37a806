import RdKafkaAvro
import RdKafkaTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct MalformedInputTests {
    private func expectMalformed(_ schema: String, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reader = try AvroReader(schema: AvroSchema(parsing: schema))
        #expect(sourceLocation: sourceLocation) {
            try reader.decode(bytes)
        } throws: { error in
            (error as? AvroError)?.kind == .malformedData
        }
    }

    @Test func truncatedAndOversizedInputsAreTypedErrors() throws {
        try expectMalformed(#""long""#, [0x80])
        try expectMalformed(#""long""#, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        try expectMalformed(#""int""#, [0x80, 0x80, 0x80, 0x80, 0x10])
        try expectMalformed(#""string""#, [0x06, 0x61])
        // A length of 2^62 must not allocate: it exceeds the input.
        try expectMalformed(#""bytes""#, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40])
        try expectMalformed(#""string""#, [0x04, 0xC3, 0x28])
        try expectMalformed(#""boolean""#, [0x02])
        try expectMalformed(#""double""#, [0, 0, 0])
        try expectMalformed(#"["null", "int"]"#, [0x04])
        try expectMalformed(#"{"type": "enum", "name": "E", "symbols": ["A"]}"#, [0x02])
        try expectMalformed(#"{"type": "array", "items": "long"}"#, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x00])
        try expectMalformed(#"{"type": "map", "values": "long"}"#, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x00])
        // Nulls take no bytes: a billion of them is refused, not allocated.
        try expectMalformed(#"{"type": "array", "items": "null"}"#, [0x80, 0xA8, 0xD6, 0xB9, 0x07, 0x00])
        try expectMalformed(#""int""#, [0x02, 0x00])
    }

    @Test func deepRecursionIsRefused() throws {
        let list = try AvroSchema(parsing: #"{"type": "record", "name": "L", "fields": [{"name": "next", "type": ["null", "L"]}]}"#)
        // 100 000 levels of "next is present": would overflow the stack if followed.
        let bytes = [UInt8](repeating: 0x02, count: 100_000) + [0x00]
        #expect(throws: AvroError.self) { try AvroReader(schema: list).decode(bytes) }
    }

    /// Random bytes against a schema with every type, random mutations of a valid encoding,
    /// and mutated schema text: each parse and decode returns or throws `AvroError`, nothing
    /// else.
    static func fuzz(iterations: Int, seed: UInt64) throws -> (decoded: Int, rejected: Int) {
        let schema = try AvroSchema(parsing: AvroFixtures.everything)
        let evolved = try AvroSchema(parsing: AvroFixtures.customerV2)
        let readers = [
            AvroReader(schema: schema), AvroReader(schema: try AvroSchema(parsing: AvroFixtures.customerV1)),
            try AvroReader(writer: try AvroSchema(parsing: AvroFixtures.customerV1), reader: evolved),
        ]
        let valid = try schema.encode(AvroFixtures.everythingValue)
        var generator = SplitMix64(state: seed)
        var decoded = 0
        var rejected = 0
        for iteration in 0..<iterations {
            var bytes: [UInt8]
            if iteration % 2 == 0 {
                bytes = (0..<Int(generator.next() % 96)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                bytes = valid
                for _ in 0..<(1 + generator.next() % 4) {
                    let position = Int(generator.next() % UInt64(bytes.count))
                    bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                }
                if generator.next() % 4 == 0 { bytes.removeLast(Int(generator.next() % UInt64(bytes.count))) }
            }
            // Schema text with a few bytes changed must parse or throw, never crash.
            var schemaText = Array(AvroFixtures.everything.utf8)
            for _ in 0..<(1 + generator.next() % 3) {
                schemaText[Int(generator.next() % UInt64(schemaText.count))] = UInt8(truncatingIfNeeded: generator.next() % 128)
            }
            if let mutated = try? AvroSchema(parsing: String(decoding: schemaText, as: UTF8.self)) {
                _ = try? AvroReader(writer: mutated, reader: schema).decode(bytes)
            }
            for reader in readers {
                do {
                    _ = try reader.decode(bytes)
                    decoded += 1
                } catch {
                    rejected += 1
                }
            }
        }
        return (decoded, rejected)
    }

    @Test func randomInputNeverCrashes() throws {
        let (decoded, rejected) = try Self.fuzz(iterations: 2_000, seed: 17)
        #expect(decoded + rejected == 6_000)
        #expect(rejected > 0)
    }

    /// The long run for `make fuzz`: RDKAFKA_AVRO_FUZZ_ITERATIONS sets how many.
    @Test(.enabled(if: ProcessEnvironment.fuzzIterations != nil, "set RDKAFKA_AVRO_FUZZ_ITERATIONS for the long fuzz run"))
    func longFuzzRun() throws {
        let iterations = ProcessEnvironment.fuzzIterations ?? 0
        let seed = UInt64(ProcessEnvironment.value("RDKAFKA_AVRO_FUZZ_SEED") ?? "") ?? 0x5EED
        let (decoded, rejected) = try Self.fuzz(iterations: iterations, seed: seed)
        #expect(decoded + rejected == 3 * iterations)
    }
}

enum ProcessEnvironment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    static var fuzzIterations: Int? {
        value("RDKAFKA_AVRO_FUZZ_ITERATIONS").flatMap(Int.init)
    }
}
