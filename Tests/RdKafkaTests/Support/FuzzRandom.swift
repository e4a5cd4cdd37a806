import CRdKafka
import Foundation

/// A seeded generator of hostile input (SplitMix64), so a failing run can be replayed.
struct FuzzRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool { below(denominator) < numerator }

    /// Bytes: mostly short, sometimes exactly a numeric width, sometimes long; any byte values.
    mutating func payload() -> [UInt8] {
        let count: Int
        switch below(10) {
        case 0: count = 0
        case 1, 2: count = [1, 2, 4, 8][below(4)]
        case 3: count = below(4_096)
        default: count = below(40)
        }
        if chance(1, in: 3) {
            // Text-like: ASCII with a sprinkle of multi-byte and broken UTF-8.
            let pieces: [[UInt8]] = [Array("{\"id\":".utf8), Array("\"amount\":".utf8), Array("[]{}:,\"".utf8), [0xC3, 0xA9], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80], [0xFF], [0], Array("1e309".utf8), Array("-0".utf8)]
            var bytes: [UInt8] = []
            while bytes.count < count {
                bytes += chance(1, in: 3) ? pieces[below(pieces.count)] : [UInt8(32 + below(95))]
            }
            return bytes
        }
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// A short string that may hold anything: control characters, NUL, non-ASCII.
    mutating func text() -> String {
        let alphabet: [String] = ["a", "Z", "0", ".", "-", "_", " ", ",", "=", "\0", "\n", "é", "😀", "%", "/", ":", "\\", "\u{7F}"]
        return (0..<below(24)).map { _ in alphabet[below(alphabet.count)] }.joined()
    }

    /// A value for a configuration property: numbers at and beyond the limits, booleans,
    /// lists, enum-like words, or random text.
    mutating func configurationValue() -> String {
        switch below(8) {
        case 0: return String(Int64(bitPattern: next()))
        case 1: return ["0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "99999999999999999999", "1e3", "0x10", " 5", "5 "][below(12)]
        case 2: return ["true", "false", "TRUE", "1", "yes", ""][below(6)]
        case 3: return ["earliest", "latest", "none", "error", "gzip", "lz4", "zstd", "snappy", "range,roundrobin", "cooperative-sticky", "SASL_SSL", "PLAIN"][below(12)]
        case 4: return String(repeating: "9", count: below(400))
        default: return text()
        }
    }

    /// A duration setting: unset, ordinary, zero, negative, or far beyond librdkafka's range.
    mutating func duration() -> Duration? {
        switch below(6) {
        case 0: return nil
        case 1: return .zero
        case 2: return .milliseconds(-Int64(below(1_000_000)))
        case 3: return .seconds(Int64(bitPattern: next()) / 1_000_000)
        case 4: return .nanoseconds(Int64(below(1_000_000)))
        default: return .milliseconds(below(100_000))
        }
    }

    /// A topic name: mostly near the legal ones (lengths around 249, legal characters), with
    /// illegal characters, dots and non-ASCII mixed in.
    mutating func topicName() -> String {
        if chance(1, in: 20) { return [".", "..", "...", "", String(repeating: "a", count: 249), String(repeating: "a", count: 250)][below(6)] }
        let legal = Array("abcXYZ019._-")
        let other: [Character] = [" ", "/", "\0", "é", "😀", "*", "^", "$", "\n", ":"]
        let length = chance(1, in: 10) ? 240 + below(20) : below(30)
        return String((0..<length).map { _ in chance(1, in: 30) ? other[below(other.count)] : legal[below(legal.count)] })
    }

    /// A header name as the producer side accepts it (no NUL), otherwise anything.
    mutating func headerKey() -> String {
        text().replacingOccurrences(of: "\0", with: "")
    }

    /// A random JSON object built from `keys`, with values of every JSON type at extreme
    /// magnitudes (the statistics decoder turns numbers into Int64 and durations).
    mutating func jsonObject(keys: [String], depth: Int) -> String {
        let members = (0..<below(8)).map { _ in
            "\"\(keys[below(keys.count)])\":\(jsonValue(keys: keys, depth: depth - 1))"
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    private mutating func jsonValue(keys: [String], depth: Int) -> String {
        switch below(depth > 0 ? 10 : 7) {
        case 0: return String(Int64(bitPattern: next()))
        case 1: return ["1e308", "-1e308", "1e400", "9223372036854775808", "-9223372036854775809", "0.5", "-0", "1E-400", "18446744073709551616"][below(9)]
        case 2: return ["true", "false", "null"][below(3)]
        case 3: return "\"\(["UP", "DOWN", "consumer", "producer", "steady", "", "\\u0000", "\\ud800"][below(8)])\""
        case 4: return "[" + (0..<below(3)).map { _ in String(below(100)) }.joined(separator: ",") + "]"
        case 5, 6: return String(below(1_000_000))
        default: return jsonObject(keys: keys, depth: depth)
        }
    }

    /// `bytes` with a few flips, deletions, insertions or a truncation.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        for _ in 0..<(1 + below(4)) {
            guard !result.isEmpty else { break }
            let index = below(result.count)
            switch below(4) {
            case 0: result[index] = UInt8(truncatingIfNeeded: next())
            case 1: result.remove(at: index)
            case 2:
                let syntax = Array("{}[]\",:-09e".utf8)
                result.insert(syntax[below(syntax.count)], at: index)
            default: result.removeLast(result.count - index)
            }
        }
        return result
    }

    /// The JSON keys of the statistics fixtures.
    static func statisticsKeys(in json: String) -> [String] {
        let pattern = try? NSRegularExpression(pattern: #""([a-zA-Z_0-9]+)":"#)
        let range = NSRange(json.startIndex..., in: json)
        let keys = pattern?.matches(in: json, range: range).compactMap { match in
            Range(match.range(at: 1), in: json).map { String(json[$0]) }
        } ?? []
        return Array(Set(keys)).sorted() + ["0", "-1", "orders"]
    }

    /// Every global and topic property librdkafka knows, from its own configuration dump,
    /// except the ones that act at once on the machine (loading plugins).
    static let propertyNames: [String] = {
        var names: [String] = []
        let configuration = rd_kafka_conf_new()
        defer { rd_kafka_conf_destroy(configuration) }
        let topicConfiguration = rd_kafka_topic_conf_new()
        defer { rd_kafka_topic_conf_destroy(topicConfiguration) }
        var count = 0
        if let pairs = rd_kafka_conf_dump(configuration, &count) {
            for index in stride(from: 0, to: count, by: 2) { if let name = pairs[index] { names.append(String(cString: name)) } }
            rd_kafka_conf_dump_free(pairs, count)
        }
        if let pairs = rd_kafka_topic_conf_dump(topicConfiguration, &count) {
            for index in stride(from: 0, to: count, by: 2) { if let name = pairs[index] { names.append(String(cString: name)) } }
            rd_kafka_conf_dump_free(pairs, count)
        }
        return names.filter { $0 != "plugin.library.paths" }
    }()
}
