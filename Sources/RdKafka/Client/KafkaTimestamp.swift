import Foundation

/// A record timestamp: milliseconds since the Unix epoch, as Kafka stores it.
///
/// Kept as an integer so that a timestamp round-trips through Kafka exactly.
public struct KafkaTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The timestamp of `date`, truncated to whole milliseconds. A date beyond what Kafka's
    /// 64-bit milliseconds can hold (or not a number) is clamped to the nearest one (0 for NaN).
    public init(_ date: Date) {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        if milliseconds.isNaN {
            self.millisecondsSinceEpoch = 0
        } else if milliseconds >= 0x1p63 {
            self.millisecondsSinceEpoch = .max
        } else if milliseconds < -0x1p63 {
            self.millisecondsSinceEpoch = .min
        } else {
            self.millisecondsSinceEpoch = Int64(milliseconds)
        }
    }

    /// The current time.
    public static var now: KafkaTimestamp { KafkaTimestamp(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }

    public static func < (lhs: KafkaTimestamp, rhs: KafkaTimestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public var description: String { "\(millisecondsSinceEpoch)ms" }

    /// Who set a record's timestamp.
    public enum Kind: Sendable, Hashable {
        /// The producer, when it created the record.
        case createTime
        /// The broker, when it appended the record (topic setting `message.timestamp.type=LogAppendTime`).
        case logAppendTime
        /// No timestamp is available.
        case notAvailable
    }
}
