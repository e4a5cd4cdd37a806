/// Schemas with documents that must validate and documents that must not, each failing one
/// with the JSON pointer and keyword the error must name.
enum JSONSchemaCorpus {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var schema: String
        var valid: [String]
        /// (document, instance path, keyword)
        var invalid: [(String, String, String)]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "type",
            schema: #"{"type": "integer"}"#,
            valid: ["1", "1.0", "-7", "12345678901234567890"],
            invalid: [("1.5", "", "type"), (#""1""#, "", "type"), ("null", "", "type")]
        ),
        Case(
            name: "type list",
            schema: #"{"type": ["string", "null"]}"#,
            valid: [#""a""#, "null"],
            invalid: [("1", "", "type"), ("[]", "", "type"), ("{}", "", "type"), ("true", "", "type")]
        ),
        Case(
            name: "properties, required, additionalProperties",
            schema: #"""
            {"$schema": "http://json-schema.org/draft-07/schema#", "title": "Order", "type": "object",
             "properties": {"id": {"type": "string"}, "amount": {"type": "number", "minimum": 0}, "a/b": {"type": "boolean"}},
             "required": ["id", "amount"], "additionalProperties": false}
            """#,
            valid: [#"{"id": "o-1", "amount": 0}"#, #"{"amount": 2.5, "id": "x", "a/b": true}"#],
            invalid: [
                (#"{"id": "o-1"}"#, "/amount", "required"),
                (#"{"id": 7, "amount": 1}"#, "/id", "type"),
                (#"{"id": "o", "amount": -1}"#, "/amount", "minimum"),
                (#"{"id": "o", "amount": 1, "extra": 1}"#, "/extra", "additionalProperties"),
                (#"{"id": "o", "amount": 1, "a/b": 1}"#, "/a~1b", "type"),
                ("[]", "", "type"),
            ]
        ),
        Case(
            name: "additionalProperties as a schema, patternProperties",
            schema: #"{"properties": {"id": {}}, "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": {"type": "integer"}}"#,
            valid: [#"{"id": null, "x-a": "s", "n": 3}"#, "{}", "7"],
            invalid: [(#"{"x-a": 1}"#, "/x-a", "type"), (#"{"n": "s"}"#, "/n", "type")]
        ),
        Case(
            name: "numbers",
            schema: #"{"exclusiveMinimum": 0, "maximum": 10, "multipleOf": 0.5}"#,
            valid: ["0.5", "10", "2.5", #""not a number""#],
            invalid: [("0", "", "exclusiveMinimum"), ("10.5", "", "maximum"), ("0.3", "", "multipleOf")]
        ),
        Case(
            name: "exclusiveMaximum and draft-04 boolean form",
            schema: #"{"allOf": [{"exclusiveMaximum": 5}, {"minimum": 1, "exclusiveMinimum": true}]}"#,
            valid: ["4.9", "2"],
            invalid: [("5", "", "exclusiveMaximum"), ("1", "", "minimum")]
        ),
        Case(
            name: "strings",
            schema: #"{"type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[a-zé]+$"}"#,
            valid: [#""ab""#, #""éé""#, #""abcd""#],
            invalid: [(#""a""#, "", "minLength"), (#""abcde""#, "", "maxLength"), (#""AB""#, "", "pattern")]
        ),
        Case(
            name: "formats",
            schema: #"{"properties": {"at": {"format": "date-time"}, "day": {"format": "date"}, "mail": {"format": "email"}, "id": {"format": "uuid"}, "other": {"format": "hostname"}}}"#,
            valid: [
                #"{"at": "2024-02-29T12:30:00Z", "day": "2024-01-31", "mail": "ada@example.com", "id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "other": "!!"}"#,
                #"{"at": "2024-02-29T12:30:00.123+01:00"}"#,
            ],
            invalid: [
                (#"{"at": "2024-02-29 noon"}"#, "/at", "format"),
                (#"{"at": "2024-02-29T12:30:00"}"#, "/at", "format"),
                (#"{"day": "2024-13-01"}"#, "/day", "format"),
                (#"{"mail": "ada.example.com"}"#, "/mail", "format"),
                (#"{"id": "not-a-uuid"}"#, "/id", "format"),
            ]
        ),
        Case(
            name: "items and array limits",
            schema: #"{"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3, "uniqueItems": true}"#,
            valid: ["[1]", "[1, 2, 3]"],
            invalid: [("[]", "", "minItems"), ("[1, 2, 3, 4]", "", "maxItems"), ("[1, 1.0]", "", "uniqueItems"), (#"[1, "2"]"#, "/1", "type")]
        ),
        Case(
            name: "draft-07 tuple items with additionalItems",
            schema: #"{"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false}"#,
            valid: [#"["a", 1]"#, #"["a"]"#, "[]"],
            invalid: [(#"[1, 1]"#, "/0", "type"), (#"["a", 1, null]"#, "/2", "false")]
        ),
        Case(
            name: "2020-12 prefixItems with items",
            schema: #"{"prefixItems": [{"type": "string"}], "items": {"type": "boolean"}}"#,
            valid: [#"["a", true, false]"#, #"["a"]"#],
            invalid: [(#"["a", 1]"#, "/1", "type"), (#"[true]"#, "/0", "type")]
        ),
        Case(
            name: "contains",
            schema: #"{"contains": {"const": 3}}"#,
            valid: ["[1, 3]", #"{"not": "an array"}"#],
            invalid: [("[1, 2]", "", "contains")]
        ),
        Case(
            name: "enum and const",
            schema: #"{"properties": {"colour": {"enum": ["red", "green", null, {"a": [1]}]}, "version": {"const": 2}}}"#,
            valid: [#"{"colour": "red", "version": 2.0}"#, #"{"colour": null}"#, #"{"colour": {"a": [1.0]}}"#],
            invalid: [(#"{"colour": "blue"}"#, "/colour", "enum"), (#"{"version": 3}"#, "/version", "const")]
        ),
        Case(
            name: "anyOf, oneOf, not",
            schema: #"{"anyOf": [{"type": "string"}, {"type": "integer"}], "oneOf": [{"minimum": 0}, {"maximum": 10}], "not": {"const": -5}}"#,
            valid: ["-1", "11"],
            // A string passes both number-only branches of the oneOf: two matches.
            invalid: [("5", "", "oneOf"), (#""ok""#, "", "oneOf"), ("1.5", "", "anyOf"), ("-5", "", "not")]
        ),
        Case(
            name: "if, then, else",
            schema: #"{"if": {"properties": {"kind": {"const": "card"}}}, "then": {"required": ["number"]}, "else": {"required": ["iban"]}}"#,
            valid: [#"{"kind": "card", "number": "4111"}"#, #"{"kind": "bank", "iban": "DE00"}"#],
            invalid: [(#"{"kind": "card"}"#, "/number", "required"), (#"{"kind": "bank"}"#, "/iban", "required")]
        ),
        Case(
            name: "local references through $defs and definitions, recursive",
            schema: #"""
            {"$ref": "#/$defs/node",
             "$defs": {"node": {"type": "object", "properties": {"value": {"$ref": "#/definitions/positive"},
                                                                 "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
                                "required": ["value"]}},
             "definitions": {"positive": {"type": "integer", "minimum": 1}}}
            """#,
            valid: [#"{"value": 1}"#, #"{"value": 2, "children": [{"value": 3, "children": [{"value": 4}]}]}"#],
            invalid: [
                (#"{"value": 0}"#, "/value", "minimum"),
                (#"{"value": 1, "children": [{"value": 2, "children": [{}]}]}"#, "/children/0/children/0/value", "required"),
            ]
        ),
        Case(
            name: "boolean schemas, propertyNames, member counts, unknown keywords",
            schema: #"{"properties": {"yes": true, "no": false}, "propertyNames": {"maxLength": 3}, "maxProperties": 2, "x-unknown": {"type": "null"}, "title": "T"}"#,
            valid: [#"{"yes": 1}"#, "{}", "3"],
            invalid: [(#"{"no": 1}"#, "/no", "false"), (#"{"long": 1}"#, "/long", "maxLength"), (#"{"a": 1, "b": 2, "c": 3}"#, "", "maxProperties")]
        ),
    ]
}
