import Foundation
import RdKafkaAvro

/// JSON pointers (RFC 6901): built for error paths, followed for local `$ref`s.
enum JSONPointer {
    /// `path` extended by one member name or array index, escaped.
    static func appending(_ path: String, _ token: String) -> String {
        guard token.contains(where: { $0 == "~" || $0 == "/" }) else { return path + "/" + token }
        return path + "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The value a local reference (`#`, `#/$defs/address`, `#/definitions/a~1b`) points to
    /// in `root`, or `nil` when it is not local or points nowhere.
    static func resolve(_ reference: String, in root: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        let fragment = String(reference.dropFirst()).removingPercentEncoding ?? String(reference.dropFirst())
        if fragment.isEmpty { return root }
        guard fragment.hasPrefix("/") else { return nil }
        var current = root
        for rawToken in fragment.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let members):
                guard let member = members.first(where: { $0.key == token }) else { return nil }
                current = member.value
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}

/// JSON Schema's notion of equal values (for `enum`, `const` and `uniqueItems`): numbers by
/// value (`1` equals `1.0`), objects whatever their member order.
enum JSONEquality {
    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)):
            if a == b { return true }
            guard let x = Double(a), let y = Double(b) else { return false }
            return x == y
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { member in b.contains { $0.key == member.key && equal($0.value, member.value) } }
        default: return false
        }
    }
}
