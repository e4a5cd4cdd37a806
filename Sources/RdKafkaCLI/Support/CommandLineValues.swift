import ArgumentParser
import Foundation
import RdKafka

/// Parsers for the values the subcommands share: escaped delimiters, points in time,
/// partition lists.
enum CommandLineValues {
    /// A delimiter as typed in a shell, with `\n`, `\r`, `\t`, `\0` and `\\` escapes, as bytes.
    static func delimiter(_ text: String, option: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var escaping = false
        for byte in text.utf8 {
            if escaping {
                switch byte {
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "0"): bytes.append(0x00)
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                default: throw ValidationError("\(option): unknown escape '\\\(Character(Unicode.Scalar(byte)))'")
                }
                escaping = false
            } else if byte == UInt8(ascii: "\\") {
                escaping = true
            } else {
                bytes.append(byte)
            }
        }
        if escaping { throw ValidationError("\(option): ends with a lone backslash") }
        guard !bytes.isEmpty else { throw ValidationError("\(option) must not be empty") }
        return bytes
    }

    /// A point in time: milliseconds since the epoch, or an ISO 8601 date time
    /// (`2026-12-03T10:15:00Z`, with fractional seconds or an offset), or a date (`2026-12-03`, UTC midnight).
    static func timestamp(_ text: String, option: String) throws -> KafkaTimestamp {
        if let milliseconds = Int64(text), milliseconds >= 0 { return KafkaTimestamp(millisecondsSinceEpoch: milliseconds) }
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        for formatter in [full, plain, day] {
            if let date = formatter.date(from: text) { return KafkaTimestamp(date) }
        }
        throw ValidationError("\(option): '\(text)' is neither milliseconds since the epoch nor an ISO 8601 date time such as 2026-12-03T10:15:00Z")
    }

    /// `topic` or `topic:0,2,5`.
    static func topicPartitions(_ text: String, option: String) throws -> (topic: String, partitions: [Int32]?) {
        guard let colon = text.lastIndex(of: ":") else { return (text, nil) }
        let topic = String(text[..<colon])
        var partitions: [Int32] = []
        for item in text[text.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false) {
            guard let partition = Int32(item), partition >= 0 else {
                throw ValidationError("\(option): '\(item)' in '\(text)' is not a partition number")
            }
            partitions.append(partition)
        }
        guard !topic.isEmpty else { throw ValidationError("\(option): no topic in '\(text)'") }
        return (topic, partitions)
    }
}
