import ArgumentParser
import RdKafka

/// Where reading starts, as kcat's `-o` spells it.
enum StartOffset: Equatable {
    case beginning
    case end
    /// The group's committed offset (a group is needed).
    case stored
    case offset(Int64)
    /// This many records before the end (`-5`).
    case beforeEnd(Int64)
    /// The first record at or after this time (`s@1700000000000`, `s@2026-12-03T10:00:00Z`).
    case timestamp(KafkaTimestamp)

    static func parse(_ text: String, option: String = "--offset") throws -> StartOffset {
        switch text {
        case "beginning", "earliest": return .beginning
        case "end", "latest": return .end
        case "stored", "committed": return .stored
        default: break
        }
        if text.hasPrefix("s@") {
            return .timestamp(try CommandLineValues.timestamp(String(text.dropFirst(2)), option: option))
        }
        if text.hasPrefix("-") {
            if let count = Int64(text.dropFirst()), count > 0 { return .beforeEnd(count) }
        } else if let offset = Int64(text), offset >= 0 {
            return .offset(offset)
        }
        throw ValidationError("\(option): '\(text)' is not beginning, end, stored, an offset, -N (N before the end) or s@<time>")
    }

    /// The offset to start at in a partition with these watermarks; `timestamps` holds the
    /// answer of an offsets-for-times lookup (`nil` for a time after the last record).
    func resolve(_ watermarks: Watermarks, timestampOffset: Int64?? = nil) -> Int64 {
        switch self {
        case .beginning, .stored: return watermarks.low
        case .end: return watermarks.high
        case .offset(let offset): return offset
        case .beforeEnd(let count): return max(watermarks.low, watermarks.high - count)
        case .timestamp: return (timestampOffset ?? nil) ?? watermarks.high
        }
    }
}

/// One positional `consume` argument: `topic`, `topic:partition` or `topic:partition:offset`.
struct TopicSelection: Equatable {
    var topic: String
    var partition: Int32?
    var offset: StartOffset?

    static func parse(_ text: String) throws -> TopicSelection {
        // At most three parts: an s@ time may itself contain colons.
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard let topic = parts.first, !topic.isEmpty else {
            throw ValidationError("'\(text)' is not topic, topic:partition or topic:partition:offset")
        }
        var selection = TopicSelection(topic: topic)
        if parts.count >= 2 {
            guard let partition = Int32(parts[1]), partition >= 0 else {
                throw ValidationError("'\(parts[1])' in '\(text)' is not a partition number")
            }
            selection.partition = partition
        }
        if parts.count == 3 { selection.offset = try StartOffset.parse(parts[2], option: text) }
        return selection
    }
}
