import Foundation

// The client type and the latency windows librdkafka reports in its statistics.
extension Statistics {
    /// The kind of client the statistics describe (`type`).
    public enum ClientType: Sendable, Hashable, CustomStringConvertible {
        /// A producer handle (`"producer"`).
        case producer
        /// A consumer handle (`"consumer"`).
        case consumer
        /// Any other value librdkafka may report, or `""` if the field is missing.
        case other(String)

        /// Creates a client type from librdkafka's string.
        public init(rawValue: String) {
            switch rawValue {
            case "producer": self = .producer
            case "consumer": self = .consumer
            default: self = .other(rawValue)
            }
        }

        /// librdkafka's string for this client type.
        public var rawValue: String {
            switch self {
            case .producer: "producer"
            case .consumer: "consumer"
            case .other(let value): value
            }
        }

        public var description: String { rawValue }
    }

    /// Rolling-window statistics over the samples collected since the previous statistics emission.
    ///
    /// The unit depends on the window: ``Broker/rtt``, ``Broker/internalLatency`` and
    /// ``Broker/outbufLatency`` are in microseconds, ``Broker/throttle`` is in milliseconds,
    /// ``Topic/batchSize`` is in bytes and ``Topic/batchCount`` in messages. Percentiles are taken
    /// from an HDR histogram. All values are `0` when ``count`` is `0`, that is when no samples
    /// were collected in the window.
    public struct Window: Sendable, Hashable, Decodable {
        /// Smallest value (`min`).
        public let min: Int64
        /// Largest value (`max`).
        public let max: Int64
        /// Average value (`avg`).
        public let avg: Int64
        /// Sum of the values (`sum`).
        public let sum: Int64
        /// Standard deviation, based on the histogram (`stddev`).
        public let stddev: Int64
        /// 50th percentile (`p50`).
        public let p50: Int64
        /// 75th percentile (`p75`).
        public let p75: Int64
        /// 90th percentile (`p90`).
        public let p90: Int64
        /// 95th percentile (`p95`).
        public let p95: Int64
        /// 99th percentile (`p99`).
        public let p99: Int64
        /// 99.99th percentile (`p99_99`).
        public let p99_99: Int64
        /// Number of values that were outside the histogram's range and skipped (`outofrange`).
        public let outOfRange: Int64
        /// Memory size of the HDR histogram, in bytes (`hdrsize`).
        public let hdrSize: Int64
        /// Number of values sampled in the window (`cnt`).
        public let count: Int64

        /// A window without samples; used when librdkafka does not report a window.
        public static let empty = Window(values: [:])

        private init(values: [String: Int64]) {
            min = values["min"] ?? 0
            max = values["max"] ?? 0
            avg = values["avg"] ?? 0
            sum = values["sum"] ?? 0
            stddev = values["stddev"] ?? 0
            p50 = values["p50"] ?? 0
            p75 = values["p75"] ?? 0
            p90 = values["p90"] ?? 0
            p95 = values["p95"] ?? 0
            p99 = values["p99"] ?? 0
            p99_99 = values["p99_99"] ?? 0
            outOfRange = values["outofrange"] ?? 0
            hdrSize = values["hdrsize"] ?? 0
            count = values["cnt"] ?? 0
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            var values: [String: Int64] = [:]
            for key in c.allKeys {
                if let value: Int64 = c.lenient(key) { values[key.stringValue] = value }
            }
            self.init(values: values)
        }
    }
}
