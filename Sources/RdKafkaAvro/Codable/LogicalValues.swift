import Foundation

/// Conversions between Foundation types and the underlying values of logical types.
enum LogicalValues {
    /// Foundation's `Decimal` holds 38 digits with an exponent down to -128: a larger scale
    /// or a longer unscaled value cannot be represented (and is not worth the arithmetic).
    static let maximumScale = 128
    static let maximumDecimalBytes = 64

    /// The unscaled two's-complement big-endian bytes of `decimal` at `scale`, or `nil`
    /// when `decimal` has more fraction digits than `scale`.
    static func unscaledBytes(_ decimal: Decimal, scale: Int) -> [UInt8]? {
        guard scale <= maximumScale else { return nil }
        var scaled = decimal * pow(Decimal(10), scale)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled else { return nil }
        let negative = rounded < 0
        var magnitude = negative ? -rounded : rounded
        var digitsText = ""
        var whole = Decimal()
        NSDecimalRound(&whole, &magnitude, 0, .plain)
        digitsText = whole.description
        guard digitsText.allSatisfy(\.isNumber) else { return nil }
        // Base 10 digits to base 256, most significant first.
        var digits = digitsText.utf8.map { Int($0) - 48 }
        var bytes: [UInt8] = []
        while digits.contains(where: { $0 != 0 }) {
            var remainder = 0
            var quotient: [Int] = []
            for digit in digits {
                let current = remainder * 10 + digit
                quotient.append(current / 256)
                remainder = current % 256
            }
            bytes.insert(UInt8(remainder), at: 0)
            digits = quotient
        }
        if bytes.isEmpty { bytes = [0] }
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        guard negative else { return bytes }
        // Two's complement: invert and add one.
        var carry = true
        for index in bytes.indices.reversed() {
            bytes[index] = ~bytes[index]
            if carry {
                let (sum, overflow) = bytes[index].addingReportingOverflow(1)
                bytes[index] = sum
                carry = overflow
            }
        }
        if bytes[0] & 0x80 == 0 { bytes.insert(0xFF, at: 0) }
        return bytes
    }

    /// `bytes` sign-extended to `size`, or `nil` when they do not fit.
    static func signExtended(_ bytes: [UInt8], to size: Int) -> [UInt8]? {
        var bytes = bytes
        let fill: UInt8 = (bytes.first ?? 0) & 0x80 != 0 ? 0xFF : 0
        while bytes.count > size, bytes.first == fill, bytes.count > 1, (bytes[1] & 0x80) == (fill & 0x80) { bytes.removeFirst() }
        guard bytes.count <= size else { return nil }
        return Array(repeating: fill, count: size - bytes.count) + bytes
    }

    /// The decimal that unscaled two's-complement `bytes` at `scale` stand for.
    static func decimal(unscaled bytes: [UInt8], scale: Int) -> Decimal {
        guard scale <= maximumScale, bytes.count <= maximumDecimalBytes else { return .nan }
        guard let first = bytes.first else { return 0 }
        let negative = first & 0x80 != 0
        var magnitude = negative ? bytes.map { ~$0 } : bytes
        if negative {
            // Two's complement back to magnitude: invert (done) and add one.
            for index in magnitude.indices.reversed() {
                let (sum, overflow) = magnitude[index].addingReportingOverflow(1)
                magnitude[index] = sum
                if !overflow { break }
            }
        }
        var value = Decimal(0)
        for byte in magnitude { value = value * 256 + Decimal(Int(byte)) }
        value = value / pow(Decimal(10), scale)
        return negative ? -value : value
    }

    static func uuidBytes(_ uuid: UUID) -> [UInt8] {
        withUnsafeBytes(of: uuid.uuid) { Array($0) }
    }

    static func uuid(_ bytes: [UInt8]) -> UUID? {
        guard bytes.count == 16 else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: bytes) }
        return UUID(uuid: value)
    }

    /// Units per second of a date or time logical type.
    static func unitsPerSecond(_ logicalType: AvroLogicalType?) -> Int64? {
        switch logicalType {
        case .timestampMillis?, .localTimestampMillis?: 1_000
        case .timestampMicros?, .localTimestampMicros?: 1_000_000
        case .timestampNanos?, .localTimestampNanos?: 1_000_000_000
        default: nil
        }
    }

    /// `date` as whole units since the Unix epoch (rounded down), split so nanoseconds keep
    /// their precision.
    static func epochUnits(_ date: Date, unitsPerSecond: Int64) -> Int64? {
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        guard let wholeSeconds = Int64(exactly: seconds) else { return nil }
        let fraction = Int64(((interval - seconds) * Double(unitsPerSecond)).rounded(.down))
        let (scaled, overflow) = wholeSeconds.multipliedReportingOverflow(by: unitsPerSecond)
        guard !overflow else { return nil }
        let (units, sumOverflow) = scaled.addingReportingOverflow(fraction)
        return sumOverflow ? nil : units
    }

    static func date(epochUnits: Int64, unitsPerSecond: Int64) -> Date {
        // Quotient and remainder share the sign of epochUnits, so nothing can overflow.
        let seconds = epochUnits / unitsPerSecond
        let remainder = epochUnits % unitsPerSecond
        return Date(timeIntervalSince1970: Double(seconds) + Double(remainder) / Double(unitsPerSecond))
    }
}
