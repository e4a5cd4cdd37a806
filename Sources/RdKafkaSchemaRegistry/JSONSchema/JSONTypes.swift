import Foundation
import RdKafkaAvro

/// JSON Schema's type names for JSON values, and the pattern test.
enum JSONTypes {
    static func matches(_ value: JSONValue, typeName: String) -> Bool {
        switch (typeName, value) {
        case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("number", .number), ("string", .string):
            return true
        case ("integer", .number(let text)):
            // 1.0 is an integer too (draft-06 on); so is a whole number past Int64's range.
            guard let number = Double(text) else { return false }
            return number.isFinite && number == number.rounded()
        default:
            return false
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Whether `regex` matches somewhere in `string` (JSON Schema patterns are not anchored).
    static func matches(_ string: String, _ regex: NSRegularExpression) -> Bool {
        regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }
}

/// The `format` values checked, loosely: the shape of the text, not every calendar rule.
enum JSONFormats {
    static func check(_ string: String, format: String) -> Bool {
        switch format {
        case "date-time":
            guard let separator = string.firstIndex(where: { $0 == "T" || $0 == "t" || $0 == " " }) else { return false }
            return isDate(string[..<separator]) && isTime(string[string.index(after: separator)...], zoneRequired: true)
        case "date": return isDate(Substring(string))
        case "time": return isTime(Substring(string), zoneRequired: false)
        case "email":
            let parts = string.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !string.contains(where: \.isWhitespace)
        case "uuid": return UUID(uuidString: string) != nil
        default: return true
        }
    }

    /// `YYYY-MM-DD` with a month 01-12 and a day 01-31.
    private static func isDate(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// `HH:MM:SS`, optional fraction, then `Z` or an offset `+HH:MM` (a date-time's zone
    /// is required by RFC 3339; a bare `time` is let through without one).
    private static func isTime(_ text: Substring, zoneRequired: Bool) -> Bool {
        let ascii = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= ascii.count, ascii[range].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return ascii[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard let hour = digits(0..<2), ascii.count >= 8, ascii[2] == 0x3A, let minute = digits(3..<5), ascii[5] == 0x3A,
            let second = digits(6..<8), hour < 24, minute < 60, second <= 60
        else { return false }
        var position = 8
        if position < ascii.count, ascii[position] == 0x2E {
            position += 1
            let start = position
            while position < ascii.count, (0x30...0x39).contains(ascii[position]) { position += 1 }
            guard position > start else { return false }
        }
        if position == ascii.count { return !zoneRequired }
        if ascii[position] == 0x5A || ascii[position] == 0x7A { return position + 1 == ascii.count }
        guard ascii[position] == 0x2B || ascii[position] == 0x2D, ascii.count == position + 6, ascii[position + 3] == 0x3A,
            let offsetHour = digits((position + 1)..<(position + 3)), let offsetMinute = digits((position + 4)..<(position + 6))
        else { return false }
        return offsetHour < 24 && offsetMinute < 60
    }
}
