/// The format of a registered schema, as the registry's `schemaType` names it.
public enum SchemaType: String, Codable, Hashable, Sendable {
    case avro = "AVRO"
    case protobuf = "PROTOBUF"
    case json = "JSON"
}

/// A reference from a schema to another registered schema (Protobuf imports, Avro named
/// types defined elsewhere).
public struct SchemaReference: Codable, Hashable, Sendable {
    public var name: String
    public var subject: String
    public var version: Int

    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }
}

/// A schema as the registry stores it: its text, its type and its references.
public struct Schema: Hashable, Sendable {
    public var text: String
    public var type: SchemaType
    public var references: [SchemaReference]

    public init(_ text: String, type: SchemaType = .avro, references: [SchemaReference] = []) {
        self.text = text
        self.type = type
        self.references = references
    }
}

/// A schema registered under a subject.
public struct RegisteredSchema: Hashable, Sendable {
    public var subject: String
    /// The registry-wide id, the one the wire format carries.
    public var id: Int32
    /// The schema's version within ``subject``.
    public var version: Int
    public var schema: Schema
    /// The registry's GUID for the schema, when it reports one (newer registries).
    public var guid: String?

    public init(subject: String, id: Int32, version: Int, schema: Schema, guid: String? = nil) {
        self.subject = subject
        self.id = id
        self.version = version
        self.schema = schema
        self.guid = guid
    }
}

/// The JSON bodies of the registry's REST API.
enum RegistryJSON {
    struct SchemaRequest: Codable {
        var schema: String
        var schemaType: SchemaType?
        var references: [SchemaReference]?

        init(_ schema: Schema) {
            self.schema = schema.text
            // Avro is the default and older registries reject the field.
            schemaType = schema.type == .avro ? nil : schema.type
            references = schema.references.isEmpty ? nil : schema.references
        }
    }

    struct IDResponse: Codable { var id: Int32; var guid: String? }

    struct SchemaResponse: Codable {
        var schema: String
        var schemaType: SchemaType?
        var references: [SchemaReference]?
        var guid: String?

        var value: Schema { Schema(schema, type: schemaType ?? .avro, references: references ?? []) }
    }

    struct SubjectVersionResponse: Codable {
        var subject: String
        var id: Int32
        var version: Int
        var schema: String
        var schemaType: SchemaType?
        var references: [SchemaReference]?
        var guid: String?

        var value: RegisteredSchema {
            RegisteredSchema(
                subject: subject, id: id, version: version,
                schema: Schema(schema, type: schemaType ?? .avro, references: references ?? []),
                guid: guid
            )
        }
    }

    struct CompatibilityResponse: Codable {
        var is_compatible: Bool
        var messages: [String]?
    }

    struct ErrorResponse: Codable {
        var error_code: Int
        var message: String?
    }
}
