import Foundation
import RdKafkaSchemaRegistry
import RdKafkaTestSupport
import Testing

/// Random bytes, and valid payloads with bytes changed, through the dynamic Protobuf
/// decoder; schema text with bytes changed through the parser. Every input decodes to JSON
/// or is refused with a typed error, never crashes or hangs. `make fuzz` runs a million
/// (`RDKAFKA_FUZZ_ITERATIONS`); `RDKAFKA_FUZZ_SEED` replays a failure.
@Suite("Protobuf decoder fuzzing")
struct ProtobufDecoderFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["RDKAFKA_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 2_000
    static let seed = ProcessInfo.processInfo.environment["RDKAFKA_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)

    @Test("Random and mutated payloads decode to JSON or fail with a serialization error")
    func payloads() throws {
        var random = SplitMix64(state: Self.seed)
        let decoder = ProtobufJSONDecoder(schema: try ProtobufSchema(parsing: ProtobufJSONDecoderTests.scalarsSchema))
        let valid = ProtobufJSONDecoderTests.scalarsBytes
        var outcomes = [0, 0]
        for iteration in 0..<Self.iterations {
            var bytes: [UInt8]
            if iteration % 2 == 0 {
                bytes = (0..<random.below(64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = valid
                for _ in 0..<(1 + random.below(4)) where !bytes.isEmpty {
                    let index = random.below(bytes.count)
                    switch random.below(3) {
                    case 0: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
                    }
                }
            }
            let indexes: [Int32] = [[0], [1], [0, 0]][random.below(3)]
            do {
                let json = try decoder.json(of: bytes, messageIndexes: indexes)
                #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) is [String: Any], "seed \(Self.seed): \(bytes) gave \(json)")
                outcomes[0] += 1
            } catch {
                #expect(error.kind == .serialization, "seed \(Self.seed): \(error)")
                outcomes[1] += 1
            }
        }
        #expect(outcomes[0] > 0 && outcomes[1] > 0, "seed \(Self.seed): \(outcomes)")
    }

    @Test("Schema text with bytes changed parses or fails with an invalidSchema error")
    func schemas() {
        var random = SplitMix64(state: Self.seed ^ 0x5052)
        let texts = Array(ProtobufJSONDecoderTests.scalarsSchema.utf8)
        let syntax = Array("{}[]<>;=,.\"/*-0x9 message enum map oneof repeated".utf8) + [0xC3, 0xFF, 0]
        for _ in 0..<Self.iterations {
            var bytes = texts
            for _ in 0..<(1 + random.below(3)) where !bytes.isEmpty {
                let index = random.below(bytes.count)
                switch random.below(3) {
                case 0: bytes[index] = syntax[random.below(syntax.count)]
                case 1: bytes.remove(at: index)
                default: bytes.insert(syntax[random.below(syntax.count)], at: index)
                }
            }
            do {
                let schema = try ProtobufSchema(parsing: String(decoding: bytes, as: UTF8.self))
                // What parses also decodes the original payload, or refuses it.
                _ = try? ProtobufJSONDecoder(schema: schema).json(of: ProtobufJSONDecoderTests.scalarsBytes, messageIndexes: [0])
            } catch {
                #expect(error.kind == .invalidSchema, "seed \(Self.seed): \(error)")
            }
        }
    }
}
