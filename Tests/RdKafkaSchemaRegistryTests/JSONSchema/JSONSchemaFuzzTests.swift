import Foundation
import RdKafkaSchemaRegistry
import RdKafkaTestSupport
import Testing

/// Random schemas (built from the keywords the validator knows, nested, referring to
/// themselves) against random documents, and the corpus mutated byte by byte: every input
/// validates, fails or is refused, never crashes or hangs. `make fuzz` runs a million
/// (`RDKAFKA_FUZZ_ITERATIONS`); `RDKAFKA_FUZZ_SEED` replays a failure.
@Suite("JSON Schema validator fuzzing")
struct JSONSchemaFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["RDKAFKA_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 2_000
    static let seed = ProcessInfo.processInfo.environment["RDKAFKA_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)

    @Test("Random schemas against random documents")
    func randomSchemasAndDocuments() {
        var random = SplitMix64(state: Self.seed)
        var outcomes = [0, 0, 0]
        for _ in 0..<Self.iterations {
            let schema = Self.schema(&random, depth: 3)
            let document = Self.document(&random, depth: 3)
            guard let validator = try? JSONSchemaValidator(schema: schema) else {
                outcomes[2] += 1
                continue
            }
            do {
                try validator.validate(json: document)
                outcomes[0] += 1
            } catch {
                outcomes[1] += 1
            }
        }
        #expect(outcomes.reduce(0, +) == Self.iterations, "seed \(Self.seed)")
        #expect(outcomes[0] > 0 && outcomes[1] > 0, "seed \(Self.seed): \(outcomes)")
    }

    @Test("The corpus with bytes changed")
    func mutatedCorpus() {
        var random = SplitMix64(state: Self.seed ^ 0x4A53)
        let cases = JSONSchemaCorpus.cases
        for _ in 0..<Self.iterations {
            let testCase = cases[random.below(cases.count)]
            let documents = testCase.valid + testCase.invalid.map(\.0)
            let schema = random.below(2) == 0 ? Self.mutate(testCase.schema, &random) : testCase.schema
            let document = Self.mutate(documents[random.below(documents.count)], &random)
            _ = try? JSONSchemaValidator(schema: schema).validate(json: document)
        }
    }

    static func mutate(_ text: String, _ random: inout SplitMix64) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<(1 + random.below(3)) where !bytes.isEmpty {
            let index = random.below(bytes.count)
            let syntax = Array("{}[]\",:-09e.\\u".utf8) + [0xC3, 0xFF, 0]
            switch random.below(3) {
            case 0: bytes[index] = syntax[random.below(syntax.count)]
            case 1: bytes.remove(at: index)
            default: bytes.insert(syntax[random.below(syntax.count)], at: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func schema(_ random: inout SplitMix64, depth: Int) -> String {
        if depth == 0 || random.below(6) == 0 {
            return [#"true"#, #"false"#, #"{}"#, ##"{"$ref": "#"}"##, #"{"type": "string"}"#, #"{"type": ["integer", "null"]}"#][random.below(6)]
        }
        let chosen = (0..<(1 + random.below(4))).map { _ in keyword(random.below(keywordCount), &random, depth: depth) }
        return "{" + chosen.joined(separator: ", ") + "}"
    }

    static let keywordCount = 22

    /// Keyword `index` of a random schema. A switch rather than an array of closures: the
    /// unoptimized test build would allocate all of them for every subschema.
    static func keyword(_ index: Int, _ r: inout SplitMix64, depth: Int) -> String {
        switch index {
        case 0: return #""type": "object""#
        case 1: return #""type": ["\#(["array", "number", "boolean", "integer"][r.below(4)])", "null"]"#
        case 2: return #""properties": {"a": \#(schema(&r, depth: depth - 1)), "b/~": \#(schema(&r, depth: depth - 1))}"#
        case 3: return #""required": ["a", "c"]"#
        case 4: return #""additionalProperties": \#(schema(&r, depth: depth - 1))"#
        case 5: return #""patternProperties": {"^[ab]": \#(schema(&r, depth: depth - 1))}"#
        case 6: return #""items": \#(schema(&r, depth: depth - 1))"#
        case 7: return #""items": [\#(schema(&r, depth: depth - 1))], "additionalItems": \#(schema(&r, depth: depth - 1))"#
        case 8: return #""prefixItems": [\#(schema(&r, depth: depth - 1))]"#
        case 9: return #""contains": \#(schema(&r, depth: depth - 1))"#
        case 10: return #""\#(["allOf", "anyOf", "oneOf"][r.below(3)])": [\#(schema(&r, depth: depth - 1)), \#(schema(&r, depth: depth - 1))]"#
        case 11: return #""not": \#(schema(&r, depth: depth - 1))"#
        case 12: return #""if": \#(schema(&r, depth: depth - 1)), "then": \#(schema(&r, depth: depth - 1)), "else": \#(schema(&r, depth: depth - 1))"#
        case 13:
            let name = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"][r.below(11)]
            return #""\#(name)": \#(number(&r))"#
        case 14: return #""pattern": "\#(["^a", "b$", "[0-9]+", "é", ".*", "(x|y)?z"][r.below(6)])""#
        case 15: return #""format": "\#(["date-time", "date", "time", "email", "uuid", "ipv4"][r.below(6)])""#
        case 16: return #""enum": [\#(document(&r, depth: 1)), \#(document(&r, depth: 1))]"#
        case 17: return #""const": \#(document(&r, depth: 2))"#
        case 18: return #""uniqueItems": true"#
        case 19: return #""propertyNames": \#(schema(&r, depth: depth - 1))"#
        case 20: return ##""$ref": "#/$defs/d", "$defs": {"d": \##(schema(&r, depth: depth - 1))}"##
        default: return ##""$ref": "#""##
        }
    }

    static func number(_ random: inout SplitMix64) -> String {
        ["0", "1", "-1", "2.5", "0.1", "1e308", "-1e308", "1e400", "3", "9223372036854775808", "-0", "1E-400"][random.below(12)]
    }

    static func document(_ random: inout SplitMix64, depth: Int) -> String {
        switch random.below(depth > 0 ? 9 : 6) {
        case 0: return number(&random)
        case 1: return ["true", "false", "null"][random.below(3)]
        case 2: return #""\#(["a", "b", "", "z", "2024-01-31", "2024-01-31T10:00:00Z", "ada@example.com", "é\\u0000", "\\ud800"][random.below(9)])""#
        case 3, 4, 5: return String(random.below(1_000))
        case 6, 7:
            return "[" + (0..<random.below(5)).map { _ in document(&random, depth: depth - 1) }.joined(separator: ",") + "]"
        default:
            let keys = ["a", "b", "c", "b/~", "ab"]
            return "{" + (0..<random.below(5)).map { _ in #""\#(keys[random.below(keys.count)])": \#(document(&random, depth: depth - 1))"# }
                .joined(separator: ",") + "}"
        }
    }
}
