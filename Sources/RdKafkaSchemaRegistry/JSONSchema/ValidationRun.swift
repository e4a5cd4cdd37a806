import Foundation
import RdKafkaAvro

/// One document's validation: walks the schema keyword by keyword, counting steps.
///
/// A broken keyword is returned (not thrown) so that `anyOf`, `oneOf`, `not` and `if` can
/// try a subschema and go on; running out of steps or depth is thrown, and ends the run.
struct ValidationRun {
    typealias Failure = JSONSchemaValidationError

    let root: JSONValue
    let patterns: [String: NSRegularExpression]
    let references: [String: JSONValue]
    private var steps = 0

    init(root: JSONValue, patterns: [String: NSRegularExpression], references: [String: JSONValue]) {
        self.root = root
        self.patterns = patterns
        self.references = references
    }

    mutating func check(_ instance: JSONValue, against schema: JSONValue, path: String, depth: Int) throws(Failure) -> Failure? {
        try spend(1, path: path)
        guard depth < JSONSchemaValidator.maximumDepth else {
            throw Failure(
                .tooComplex, instancePath: path, keyword: "",
                reason: "the schema nests (or refers to itself) deeper than \(JSONSchemaValidator.maximumDepth) levels"
            )
        }
        switch schema {
        case .bool(true): return nil
        case .bool(false): return Failure(.violation, instancePath: path, keyword: "false", reason: "no value is allowed here")
        case .object(let members):
            for member in members {
                if let failure = try keyword(member.key, member.value, instance, in: schema, path: path, depth: depth) { return failure }
            }
            return nil
        default:
            // Not a schema: nothing to check (a malformed keyword value is ignored likewise).
            return nil
        }
    }

    mutating func spend(_ cost: Int, path: String) throws(Failure) {
        steps += cost
        guard steps <= JSONSchemaValidator.stepBudget else {
            throw Failure(.tooComplex, instancePath: path, keyword: "", reason: "validation takes more than \(JSONSchemaValidator.stepBudget) steps")
        }
    }

    private mutating func keyword(
        _ name: String, _ value: JSONValue, _ instance: JSONValue, in schema: JSONValue, path: String, depth: Int
    ) throws(Failure) -> Failure? {
        func violation(_ reason: String) -> Failure { Failure(.violation, instancePath: path, keyword: name, reason: reason) }
        switch name {
        case "$ref":
            // Followed when the validator was built, unless the schema holds it under a
            // keyword the build's walk does not enter.
            guard case .string(let reference) = value, let target = references[reference] ?? JSONPointer.resolve(reference, in: root) else {
                return nil
            }
            return try check(instance, against: target, path: path, depth: depth + 1)
        case "type":
            let names: [String]
            switch value {
            case .string(let single): names = [single]
            case .array(let many): names = many.compactMap(\.stringValue)
            default: return nil
            }
            guard names.contains(where: { JSONTypes.matches(instance, typeName: $0) }) else {
                return violation("\(JSONTypes.describe(instance)) is not of type \(names.joined(separator: " or "))")
            }
            return nil
        case "enum":
            guard case .array(let options) = value else { return nil }
            try spend(options.count, path: path)
            return options.contains { JSONEquality.equal($0, instance) } ? nil : violation("not one of the enumerated values")
        case "const":
            return JSONEquality.equal(value, instance) ? nil : violation("not the constant \(value.serialized)")
        case "allOf", "anyOf", "oneOf":
            guard case .array(let subschemas) = value else { return nil }
            return try combination(name, subschemas, instance, path: path, depth: depth)
        case "not":
            return try check(instance, against: value, path: path, depth: depth + 1) == nil ? violation("matches a schema it must not") : nil
        case "if":
            if try check(instance, against: value, path: path, depth: depth + 1) == nil {
                guard let then = schema["then"] else { return nil }
                return try check(instance, against: then, path: path, depth: depth + 1)
            }
            guard let otherwise = schema["else"] else { return nil }
            return try check(instance, against: otherwise, path: path, depth: depth + 1)
        default:
            switch instance {
            case .number(let text): return numberKeyword(name, value, Double(text) ?? .nan, in: schema, violation: violation)
            case .string(let string): return stringKeyword(name, value, string, violation: violation)
            case .array(let elements): return try arrayKeyword(name, value, elements, in: schema, path: path, depth: depth)
            case .object(let members): return try objectKeyword(name, value, members, in: schema, path: path, depth: depth)
            default: return nil
            }
        }
    }

    private mutating func combination(
        _ name: String, _ subschemas: [JSONValue], _ instance: JSONValue, path: String, depth: Int
    ) throws(Failure) -> Failure? {
        var matched = 0
        var firstFailure: Failure?
        for subschema in subschemas {
            if let failure = try check(instance, against: subschema, path: path, depth: depth + 1) {
                if name == "allOf" { return failure }
                firstFailure = firstFailure ?? failure
            } else {
                matched += 1
                if name == "anyOf" { return nil }
            }
        }
        switch name {
        case "anyOf" where !subschemas.isEmpty:
            let detail = firstFailure.map { " (the first: \($0.description))" } ?? ""
            return Failure(.violation, instancePath: path, keyword: name, reason: "matches none of the \(subschemas.count) schemas\(detail)")
        case "oneOf" where matched != 1:
            return Failure(.violation, instancePath: path, keyword: name, reason: "matches \(matched) of the schemas, not exactly one")
        default:
            return nil
        }
    }

    private func numberKeyword(
        _ name: String, _ value: JSONValue, _ number: Double, in schema: JSONValue, violation: (String) -> Failure
    ) -> Failure? {
        // Draft-04's boolean exclusiveMinimum and exclusiveMaximum modify their siblings.
        func isExclusive(_ flag: String) -> Bool {
            if case .bool(true)? = schema[flag] { return true }
            return false
        }
        guard let limit = value.doubleValue else { return nil }
        switch name {
        case "minimum" where isExclusive("exclusiveMinimum"):
            return number > limit ? nil : violation("\(number) is not more than \(limit)")
        case "minimum": return number >= limit ? nil : violation("\(number) is less than \(limit)")
        case "maximum" where isExclusive("exclusiveMaximum"):
            return number < limit ? nil : violation("\(number) is not less than \(limit)")
        case "maximum": return number <= limit ? nil : violation("\(number) is more than \(limit)")
        case "exclusiveMinimum": return number > limit ? nil : violation("\(number) is not more than \(limit)")
        case "exclusiveMaximum": return number < limit ? nil : violation("\(number) is not less than \(limit)")
        case "multipleOf" where limit > 0:
            let quotient = number / limit
            // Within rounding error of a whole number, so 0.3 counts as a multiple of 0.1.
            guard quotient.isFinite, abs(quotient - quotient.rounded()) <= 1e-9 * max(1, abs(quotient)) else {
                return violation("\(number) is not a multiple of \(limit)")
            }
            return nil
        default: return nil
        }
    }

    private func stringKeyword(_ name: String, _ value: JSONValue, _ string: String, violation: (String) -> Failure) -> Failure? {
        switch (name, value) {
        case ("minLength", .number):
            guard let limit = value.integerValue else { return nil }
            return string.unicodeScalars.count >= limit ? nil : violation("shorter than \(limit) characters")
        case ("maxLength", .number):
            guard let limit = value.integerValue else { return nil }
            return string.unicodeScalars.count <= limit ? nil : violation("longer than \(limit) characters")
        case ("pattern", .string(let pattern)):
            guard let regex = patterns[pattern] else { return nil }
            return JSONTypes.matches(string, regex) ? nil : violation("does not match the pattern \(pattern)")
        case ("format", .string(let format)):
            return JSONFormats.check(string, format: format) ? nil : violation("not a valid \(format)")
        default:
            return nil
        }
    }
}
