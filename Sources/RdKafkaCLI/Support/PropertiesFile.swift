import Foundation
import ArgumentParser

/// librdkafka properties as kcat's `-F` reads them: `property=value` lines, blank lines and
/// `#` comments ignored.
enum PropertiesFile {
    static func parse(_ text: String, origin: String) throws -> [String: String] {
        var properties: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let (key, value) = try parse(assignment: line, origin: "\(origin):\(index + 1)")
            properties[key] = value
        }
        return properties
    }

    /// One `property=value`; the value may itself contain `=`.
    static func parse(assignment: String, origin: String) throws -> (String, String) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw ValidationError("\(origin): expected property=value, got '\(assignment)'")
        }
        let key = assignment[..<equals].trimmingCharacters(in: .whitespaces)
        let value = assignment[assignment.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { throw ValidationError("\(origin): empty property name in '\(assignment)'") }
        return (key, value)
    }
}
