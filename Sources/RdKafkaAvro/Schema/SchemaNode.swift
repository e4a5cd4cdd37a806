/// A parsed schema as a table of nodes that refer to each other by index, so a recursive
/// schema (a linked list, a tree) is a cycle of indexes rather than of references.
final class SchemaGraph: Sendable {
    let nodes: [SchemaNode]

    init(nodes: [SchemaNode]) {
        self.nodes = nodes
    }

    subscript(index: Int) -> SchemaNode { nodes[index] }
}

/// One type in a schema.
struct SchemaNode: Sendable {
    var kind: Kind
    /// The logical type, when the schema names a valid one (an invalid one is ignored, as
    /// the specification asks).
    var logicalType: AvroLogicalType?
    /// Attributes the schema carries beyond those Avro defines, kept for the full JSON form.
    var extraProperties: [(key: String, value: JSONValue)] = []

    enum Kind: Sendable {
        case null, boolean, int, long, float, double, bytes, string
        case record(RecordSchema)
        case enumeration(EnumSchema)
        case array(items: Int)
        case map(values: Int)
        case union(branches: [Int])
        case fixed(FixedSchema)
    }

    /// The full name of a record, enum or fixed.
    var named: NamedType? {
        switch kind {
        case .record(let record): record.named
        case .enumeration(let enumeration): enumeration.named
        case .fixed(let fixed): fixed.named
        default: nil
        }
    }

    /// The name of the type as the specification spells it: `int`, `record`, ...
    var typeName: String {
        switch kind {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .string: "string"
        case .record(let record): record.isError ? "error" : "record"
        case .enumeration: "enum"
        case .array: "array"
        case .map: "map"
        case .union: "union"
        case .fixed: "fixed"
        }
    }
}

/// The naming attributes of a record, enum or fixed.
struct NamedType: Sendable {
    var fullName: String
    /// The name without its namespace.
    var name: String
    var namespace: String?
    /// Aliases, as full names.
    var aliases: [String]
    var doc: String?
}

/// Records, enums and fixed are classes so that matching on a node's kind (done per value
/// when encoding and decoding) retains one reference rather than every name and array.
final class RecordSchema: Sendable {
    let named: NamedType
    let isError: Bool
    let fields: [FieldSchema]
    /// Field position by name.
    let fieldIndex: [String: Int]

    init(named: NamedType, isError: Bool, fields: [FieldSchema], fieldIndex: [String: Int]) {
        self.named = named
        self.isError = isError
        self.fields = fields
        self.fieldIndex = fieldIndex
    }
}

struct FieldSchema: Sendable {
    var name: String
    var type: Int
    var doc: String?
    var aliases: [String]
    var order: String?
    /// The default as written in the schema, for the full JSON form.
    var defaultJSON: JSONValue?
    /// The default as a value of the field's type, used when a writer lacks the field.
    var defaultValue: AvroValue?
    var extraProperties: [(key: String, value: JSONValue)]
}

final class EnumSchema: Sendable {
    let named: NamedType
    let symbols: [String]
    let symbolIndex: [String: Int]
    /// The symbol a reader uses for a writer's symbol it does not know.
    let defaultSymbol: String?

    init(named: NamedType, symbols: [String], symbolIndex: [String: Int], defaultSymbol: String?) {
        self.named = named
        self.symbols = symbols
        self.symbolIndex = symbolIndex
        self.defaultSymbol = defaultSymbol
    }
}

final class FixedSchema: Sendable {
    let named: NamedType
    let size: Int

    init(named: NamedType, size: Int) {
        self.named = named
        self.size = size
    }
}
