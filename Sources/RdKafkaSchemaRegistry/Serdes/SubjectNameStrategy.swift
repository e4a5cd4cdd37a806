/// How a serializer names the subject it registers a schema under, as Confluent's
/// `key.subject.name.strategy` / `value.subject.name.strategy` do.
public enum SubjectNameStrategy: Hashable, Sendable {
    /// `<topic>-key` or `<topic>-value`: one schema lineage per topic (the default).
    case topicName
    /// The record's fully qualified name: one lineage per record type, on any topic.
    case recordName
    /// `<topic>-<fully qualified record name>`: several record types per topic.
    case topicRecordName

    /// The subject for a key or value of `topic` whose schema's record is `recordName`.
    public func subject(topic: String, isKey: Bool, recordName: String?) throws(SchemaRegistryError) -> String {
        switch self {
        case .topicName:
            return "\(topic)-\(isKey ? "key" : "value")"
        case .recordName, .topicRecordName:
            guard let recordName else {
                throw SchemaRegistryError(.invalidSchema, "the \(self) strategy needs a named schema (a record), this one has no name")
            }
            return self == .recordName ? recordName : "\(topic)-\(recordName)"
        }
    }
}

/// Where a serializer puts the schema id.
public enum SchemaIDLocation: Hashable, Sendable {
    /// Before the payload: magic byte 0 and the 4-byte id (the classic wire format).
    case payload
    /// In the `__key_schema_id` / `__value_schema_id` header; the payload is the bare encoding.
    case header
}

/// How a schema registry serializer finds its schema's id.
public struct SchemaSerializerOptions: Hashable, Sendable {
    public var subjectNameStrategy: SubjectNameStrategy
    /// Register the schema if the subject does not have it yet (`auto.register.schemas`).
    /// Off, the schema must already be registered, or serializing throws
    /// ``SchemaRegistryError/Kind/schemaNotRegistered``.
    public var autoRegister: Bool
    public var schemaIDLocation: SchemaIDLocation

    public init(subjectNameStrategy: SubjectNameStrategy = .topicName, autoRegister: Bool = true, schemaIDLocation: SchemaIDLocation = .payload) {
        self.subjectNameStrategy = subjectNameStrategy
        self.autoRegister = autoRegister
        self.schemaIDLocation = schemaIDLocation
    }
}
