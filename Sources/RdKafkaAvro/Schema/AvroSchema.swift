/// A parsed Avro schema (Avro 1.12): primitive, record, enum, array, map, union and fixed
/// types, with names, namespaces, aliases, defaults and logical types.
///
/// ```swift
/// let schema = try AvroSchema(parsing: """
///     {"type": "record", "name": "Customer", "namespace": "com.example",
///      "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}]}
///     """)
/// schema.fullName        // "com.example.Customer"
/// schema.canonicalForm   // {"name":"com.example.Customer","type":"record","fields":[...]}
/// ```
///
/// Two schemas are equal when their full JSON forms (``json``) are equal.
public struct AvroSchema: Sendable, Hashable, CustomStringConvertible {
    let graph: SchemaGraph
    let root: Int
    /// The full JSON form, computed once at parse time.
    public let json: String
    /// The Parsing Canonical Form, computed once at parse time.
    public let canonicalForm: String

    /// Parses a schema from its JSON text.
    ///
    /// - Throws: ``AvroError`` of kind ``AvroError/Kind/invalidSchema`` naming where the
    ///   schema is wrong: invalid JSON, an unknown type name, a bad name, a duplicate
    ///   definition, a default that does not fit its field, ...
    public init(parsing json: String) throws(AvroError) {
        let document = try JSONParser.parse(json)
        let (graph, root) = try SchemaParser.parse(document)
        self.init(graph: graph, root: root)
    }

    init(graph: SchemaGraph, root: Int) {
        self.graph = graph
        self.root = root
        self.json = SchemaWriter.json(graph, root: root)
        self.canonicalForm = SchemaWriter.canonicalForm(graph, root: root)
    }

    /// The 64-bit Rabin fingerprint (CRC-64-AVRO) of the Parsing Canonical Form, as the
    /// specification defines it for single-object encoding.
    public var fingerprint: UInt64 {
        RabinFingerprint.fingerprint(Array(canonicalForm.utf8))
    }

    /// ``fingerprint`` as 8 little-endian bytes, the order single-object encoding (and
    /// fastavro, and Java's `SchemaNormalization`) uses.
    public var fingerprintBytes: [UInt8] {
        let value = fingerprint
        return (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// The full name (namespace and name) of a record, enum or fixed; `nil` for other types.
    public var fullName: String? {
        graph[root].named?.fullName
    }

    /// The Avro type name of the schema: `record`, `enum`, `union`, `string`, ...
    public var typeName: String {
        graph[root].typeName
    }

    /// The logical type, when the schema has a valid one.
    public var logicalType: AvroLogicalType? {
        graph[root].logicalType
    }

    public var description: String { json }

    public static func == (lhs: AvroSchema, rhs: AvroSchema) -> Bool {
        lhs.json == rhs.json
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(json)
    }
}
