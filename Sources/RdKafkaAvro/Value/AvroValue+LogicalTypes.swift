import Foundation

extension AvroValue {
    /// A `date`: whole days since 1970-01-01 (UTC), rounded down; `nil` beyond the range of
    /// an `int`.
    public static func date(_ date: Date) -> AvroValue? {
        Int32(exactly: (date.timeIntervalSince1970 / 86_400).rounded(.down)).map(AvroValue.int)
    }

    /// A `timestamp-millis`, `-micros` or `-nanos` (or `local-timestamp-*`) value for `date`,
    /// in the units of `logicalType`; `nil` for other logical types or a date out of range.
    public static func timestamp(_ date: Date, as logicalType: AvroLogicalType) -> AvroValue? {
        guard let units = LogicalValues.unitsPerSecond(logicalType),
            let value = LogicalValues.epochUnits(date, unitsPerSecond: units)
        else { return nil }
        return .long(value)
    }

    /// A `uuid` on `string`: its lower-case text form.
    public static func uuid(_ uuid: UUID) -> AvroValue {
        .string(uuid.uuidString.lowercased())
    }

    /// A `decimal` on `bytes` with `scale`: the unscaled two's-complement value; `nil` when
    /// `value` has more fraction digits than `scale` allows.
    public static func decimal(_ value: Decimal, scale: Int) -> AvroValue? {
        LogicalValues.unscaledBytes(value, scale: scale).map(AvroValue.bytes)
    }

    /// The `Decimal` a `decimal` value of `bytes` or `fixed` stands for at `scale`.
    public func decimalValue(scale: Int) -> Decimal? {
        switch self {
        case .bytes(let bytes), .fixed(let bytes): LogicalValues.decimal(unscaled: bytes, scale: scale)
        default: nil
        }
    }

    /// The `Date` of a `timestamp-*` or `local-timestamp-*` value (a `long`) in the units of
    /// `logicalType`, or of a `date` value (an `int`).
    public func dateValue(as logicalType: AvroLogicalType) -> Date? {
        switch (self, logicalType) {
        case (.int(let days), .date): Date(timeIntervalSince1970: Double(days) * 86_400)
        case (.long(let units), _):
            LogicalValues.unitsPerSecond(logicalType).map { LogicalValues.date(epochUnits: units, unitsPerSecond: $0) }
        default: nil
        }
    }

    /// The value inside a union value, or the value itself.
    public var unwrapped: AvroValue {
        if case .union(_, let value) = self { return value.unwrapped }
        return self
    }
}
