extension ProtobufJSONDecoder {
    /// The mapping's special forms for Google's well-known types, or nil for any other
    /// message. A Timestamp or Duration out of the mapping's range prints as an object.
    func wellKnown(_ type: ProtobufMessageType, bytes: [UInt8], ranges: [Range<Int>], depth: Int) throws(SchemaRegistryError) -> String? {
        switch type.fullName {
        case WellKnownProtobufTypes.timestamp, WellKnownProtobufTypes.duration:
            var seconds: Int64 = 0
            var nanos: Int32 = 0
            for range in ranges {
                var reader = ProtobufWireReader(bytes: bytes, range: range)
                while !reader.isAtEnd {
                    let (number, wireType) = try reader.tag()
                    switch (number, wireType) {
                    case (1, .varint): seconds = Int64(bitPattern: try reader.varint())
                    case (2, .varint): nanos = Int32(truncatingIfNeeded: try reader.varint())
                    default: try reader.skip(wireType, number: number)
                    }
                }
            }
            let text = type.fullName == WellKnownProtobufTypes.timestamp ? Self.timestamp(seconds: seconds, nanos: nanos) : Self.duration(seconds: seconds, nanos: nanos)
            return text.map(ProtobufJSONText.quoted)
        case _ where WellKnownProtobufTypes.wrappers.contains(type.fullName):
            let members = try fields(type, bytes: bytes, ranges: ranges, depth: depth)
            if let value = members.first?.json { return value }
            guard case .scalar(let scalar) = type.fields.first?.type else { return nil }
            return ProtobufJSONText.defaultValue(scalar)
        case WellKnownProtobufTypes.structure:
            return try fields(type, bytes: bytes, ranges: ranges, depth: depth).first?.json ?? "{}"
        case WellKnownProtobufTypes.listValue:
            return try fields(type, bytes: bytes, ranges: ranges, depth: depth).first?.json ?? "[]"
        case WellKnownProtobufTypes.value:
            guard let member = try fields(type, bytes: bytes, ranges: ranges, depth: depth).first else { return "null" }
            return member.field.number == 1 ? "null" : member.json
        default:
            return nil
        }
    }

    /// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, for years 1 to 9999.
    static func timestamp(seconds: Int64, nanos: Int32) -> String? {
        guard (-62_135_596_800...253_402_300_799).contains(seconds), (0..<1_000_000_000).contains(nanos) else { return nil }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Days since 1970-01-01 to a civil date (proleptic Gregorian), by 400-year eras.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3_600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))\(fraction(nanos))Z"
    }

    /// Seconds with 0, 3, 6 or 9 fractional digits and an `s`, within ±10,000 years.
    static func duration(seconds: Int64, nanos: Int32) -> String? {
        guard (-315_576_000_000...315_576_000_000).contains(seconds), (-999_999_999...999_999_999).contains(nanos), seconds == 0 || nanos == 0 || (seconds < 0) == (nanos < 0) else { return nil }
        let sign = seconds < 0 || nanos < 0 ? "-" : ""
        return "\(sign)\(abs(seconds))\(fraction(abs(nanos)))s"
    }

    private static func fraction(_ nanos: Int32) -> String {
        if nanos == 0 { return "" }
        if nanos % 1_000_000 == 0 { return "." + pad(Int64(nanos / 1_000_000), 3) }
        if nanos % 1_000 == 0 { return "." + pad(Int64(nanos / 1_000), 6) }
        return "." + pad(Int64(nanos), 9)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
