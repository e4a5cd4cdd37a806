/// The logical types of Avro 1.12, each on the underlying type the specification allows.
public enum AvroLogicalType: Sendable, Hashable {
    /// An arbitrary-precision decimal on `bytes` or `fixed`: the two's-complement big-endian
    /// unscaled value; the value is `unscaled × 10^-scale`.
    case decimal(precision: Int, scale: Int)
    /// A decimal on `bytes` whose scale travels with each value (Avro 1.12).
    case bigDecimal
    /// A UUID on `string` (its text form) or `fixed(16)`.
    case uuid
    /// Days since 1970-01-01, on `int`.
    case date
    /// Milliseconds after midnight, on `int`.
    case timeMillis
    /// Microseconds after midnight, on `long`.
    case timeMicros
    /// Milliseconds since the Unix epoch (UTC), on `long`.
    case timestampMillis
    case timestampMicros
    case timestampNanos
    /// Milliseconds since 1970-01-01T00:00 in local time, with no time zone, on `long`.
    case localTimestampMillis
    case localTimestampMicros
    case localTimestampNanos
    /// Months, days and milliseconds as three little-endian unsigned 32-bit integers, on
    /// `fixed(12)`.
    case duration

    /// The name in a schema's `logicalType` attribute.
    public var name: String {
        switch self {
        case .decimal: "decimal"
        case .bigDecimal: "big-decimal"
        case .uuid: "uuid"
        case .date: "date"
        case .timeMillis: "time-millis"
        case .timeMicros: "time-micros"
        case .timestampMillis: "timestamp-millis"
        case .timestampMicros: "timestamp-micros"
        case .timestampNanos: "timestamp-nanos"
        case .localTimestampMillis: "local-timestamp-millis"
        case .localTimestampMicros: "local-timestamp-micros"
        case .localTimestampNanos: "local-timestamp-nanos"
        case .duration: "duration"
        }
    }
}
