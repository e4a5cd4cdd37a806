import Foundation
import RdKafkaAvro

/// Checks JSON documents against a JSON Schema: the keywords draft-07 and 2020-12 share,
/// listed in docs/schemas.md.
///
/// ```swift
/// let validator = try JSONSchemaValidator(schema: #"{"type": "object", "required": ["id"]}"#)
/// try validator.validate(Array(#"{"id": 7}"#.utf8))
/// ```
///
/// Keywords it does not know (and `$schema`, `$id`, `title`, `description`, `default`,
/// `examples`) are ignored, as the specification asks of annotations. `$ref` follows local
/// JSON pointers (`#`, `#/$defs/name`, `#/definitions/name`) from the schema's root; other
/// references are refused when the validator is built. `format` checks `date-time`, `date`,
/// `time`, `email` and `uuid` loosely and ignores other formats.
///
/// A validation takes at most ``stepBudget`` keyword evaluations and nests at most
/// ``maximumDepth`` schemas deep, so no schema or document can make it run away: beyond
/// either it fails with ``JSONSchemaValidationError/Kind/tooComplex``.
public struct JSONSchemaValidator: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable and documented thread-safe; nothing else
    // here can change after init.
    let schema: JSONValue
    let patterns: [String: NSRegularExpression]
    /// Each local `$ref` of the schema and what it points to, followed once here rather
    /// than on every evaluation (a schema referring to itself evaluates it at every level).
    let references: [String: JSONValue]

    /// The most keyword evaluations one validation may take.
    public static let stepBudget = 1_000_000
    /// The deepest subschemas (and references) may nest during one validation.
    public static let maximumDepth = 256

    /// Parses `schema` and compiles its patterns.
    ///
    /// - Throws: ``SchemaRegistryError`` of kind ``SchemaRegistryError/Kind/invalidSchema``
    ///   when the schema is not JSON, not an object or boolean, has a `pattern` that does not
    ///   compile, or a `$ref` that is not local or points nowhere.
    public init(schema: String) throws(SchemaRegistryError) {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(Array(schema.utf8))
        } catch {
            throw SchemaRegistryError(.invalidSchema, "the JSON Schema is not JSON: \(error.reason)", underlyingError: error)
        }
        switch parsed {
        case .object, .bool: break
        default: throw SchemaRegistryError(.invalidSchema, "a JSON Schema is an object or a boolean")
        }
        var walker = SchemaWalker(root: parsed)
        try walker.check(parsed, depth: 0)
        self.schema = parsed
        self.patterns = walker.patterns
        self.references = walker.references
    }

    /// Validates the JSON document in `document` (UTF-8).
    ///
    /// - Throws: ``JSONSchemaValidationError`` naming, by JSON pointer, the first value that
    ///   breaks the schema.
    public func validate(_ document: [UInt8]) throws(JSONSchemaValidationError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(document)
        } catch {
            throw JSONSchemaValidationError(.malformedDocument, instancePath: "", keyword: "", reason: "not JSON: \(error.reason)")
        }
        var run = ValidationRun(root: schema, patterns: patterns, references: references)
        if let failure = try run.check(value, against: schema, path: "", depth: 0) { throw failure }
    }

    /// Validates the JSON document `json`.
    public func validate(json: String) throws(JSONSchemaValidationError) {
        try validate(Array(json.utf8))
    }
}

/// Goes through a schema once when the validator is built: compiles its patterns and follows
/// its references, so neither fails halfway through a document.
private struct SchemaWalker {
    let root: JSONValue
    var patterns: [String: NSRegularExpression] = [:]
    var references: [String: JSONValue] = [:]

    init(root: JSONValue) {
        self.root = root
    }

    mutating func check(_ schema: JSONValue, depth: Int) throws(SchemaRegistryError) {
        guard depth < JSONSchemaValidator.maximumDepth, case .object(let members) = schema else { return }
        for member in members {
            switch (member.key, member.value) {
            case ("pattern", .string(let pattern)):
                try compile(pattern)
            case ("$ref", .string(let reference)):
                guard references[reference] == nil else { break }
                guard let target = JSONPointer.resolve(reference, in: root) else {
                    throw SchemaRegistryError(.invalidSchema, "the reference \(reference) is not a local JSON pointer into this schema")
                }
                references[reference] = target
            case ("patternProperties", .object(let entries)):
                for entry in entries {
                    try compile(entry.key)
                    try check(entry.value, depth: depth + 1)
                }
            case ("properties", .object(let entries)), ("$defs", .object(let entries)), ("definitions", .object(let entries)),
                ("dependentSchemas", .object(let entries)):
                for entry in entries { try check(entry.value, depth: depth + 1) }
            case ("items", .array(let schemas)), ("prefixItems", .array(let schemas)), ("allOf", .array(let schemas)),
                ("anyOf", .array(let schemas)), ("oneOf", .array(let schemas)):
                for subschema in schemas { try check(subschema, depth: depth + 1) }
            case ("items", _), ("additionalItems", _), ("additionalProperties", _), ("not", _), ("if", _), ("then", _),
                ("else", _), ("contains", _), ("propertyNames", _):
                try check(member.value, depth: depth + 1)
            default:
                break
            }
        }
    }

    private mutating func compile(_ pattern: String) throws(SchemaRegistryError) {
        guard patterns[pattern] == nil else { return }
        do {
            patterns[pattern] = try NSRegularExpression(pattern: pattern)
        } catch {
            throw SchemaRegistryError(.invalidSchema, "the pattern \(pattern) does not compile: \(error)", underlyingError: error)
        }
    }
}
