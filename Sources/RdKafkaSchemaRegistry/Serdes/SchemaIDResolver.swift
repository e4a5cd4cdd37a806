import Foundation
import RdKafka

/// The part every schema registry serializer shares: the id of its one schema under the
/// subject a topic maps to, asked of the registry once per subject and then cached, and the
/// framing put before (or beside) the encoded bytes.
struct SchemaIDResolver: Sendable {
    let registry: SchemaRegistryClient
    let schema: Schema
    let recordName: String?
    let isKey: Bool
    let options: SchemaSerializerOptions
    let messageIndexes: [Int32]?

    func subject(topic: String) throws(SchemaRegistryError) -> String {
        try options.subjectNameStrategy.subject(topic: topic, isKey: isKey, recordName: recordName)
    }

    /// Asks the registry for the ids of `topics`' subjects now, so that no send waits for it.
    func prepare(topics: [String]) async throws(SchemaRegistryError) {
        for topic in topics {
            let subject = try subject(topic: topic)
            if options.autoRegister {
                _ = try await registry.register(schema, subject: subject)
            } else {
                _ = try await lookUp(subject)
            }
        }
    }

    private func lookUp(_ subject: String) async throws(SchemaRegistryError) -> RegisteredSchema {
        do {
            return try await registry.lookUp(schema, subject: subject)
        } catch where [SchemaRegistryError.ErrorCode.subjectNotFound, SchemaRegistryError.ErrorCode.schemaNotFound].contains(error.registryErrorCode) {
            throw notRegistered(subject, error)
        }
    }

    private func notRegistered(_ subject: String, _ error: SchemaRegistryError) -> SchemaRegistryError {
        SchemaRegistryError(.schemaNotRegistered, "the schema is not registered under \(subject) and auto-registration is off", underlyingError: error)
    }

    /// The registration for `topic`: from the cache, or one blocking request on first use.
    func registration(topic: String) throws(SchemaRegistryError) -> RegisteredSchema {
        let subject = try subject(topic: topic)
        if let known = registry.cachedRegistration(schema, subject: subject) { return known }
        if options.autoRegister {
            _ = try registry.executeBlocking(registry.registerRequest(schema, subject: subject))
        }
        do {
            let registered = try registry.executeBlocking(registry.lookUpRequest(schema, subject: subject))
            registry.remember(registered, for: schema)
            return registered
        } catch where !options.autoRegister && [SchemaRegistryError.ErrorCode.subjectNotFound, SchemaRegistryError.ErrorCode.schemaNotFound].contains(error.registryErrorCode) {
            throw notRegistered(subject, error)
        }
    }

    /// What every serializer's `serialize(_:topic:headers:)` does: `encode` the value (an
    /// error it throws that is not a ``SchemaRegistryError`` becomes one of kind
    /// ``SchemaRegistryError/Kind/serialization``), then frame the bytes for `topic`.
    func serialize(topic: String, headers: inout [RecordHeader], encode: () throws -> [UInt8]) throws(SchemaRegistryError) -> [UInt8] {
        let payload: [UInt8]
        do {
            payload = try encode()
        } catch let error as SchemaRegistryError {
            throw error
        } catch {
            throw SchemaRegistryError(.serialization, "\(error)", underlyingError: error)
        }
        return try frame(payload, topic: topic, headers: &headers)
    }

    /// `payload` framed for `topic`: the id before it, or in a header appended to `headers`.
    func frame(_ payload: [UInt8], topic: String, headers: inout [RecordHeader]) throws(SchemaRegistryError) -> [UInt8] {
        let registered = try registration(topic: topic)
        let withIndexes = messageIndexes != nil
        switch options.schemaIDLocation {
        case .payload:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(payload.count + 6)
            ConfluentWireFormat(schemaID: .id(registered.id), messageIndexes: messageIndexes ?? []).write(into: &bytes, withMessageIndexes: withIndexes)
            bytes.append(contentsOf: payload)
            return bytes
        case .header:
            let id: SchemaID = registered.guid.flatMap(UUID.init(uuidString:)).map { .guid($0) } ?? .id(registered.id)
            let framing = ConfluentWireFormat(schemaID: id, messageIndexes: messageIndexes ?? [])
            headers.append(RecordHeader(
                key: isKey ? ConfluentWireFormat.keySchemaIDHeader : ConfluentWireFormat.valueSchemaIDHeader,
                value: framing.encoded(withMessageIndexes: withIndexes)
            ))
            return payload
        }
    }
}

/// The part every schema registry deserializer shares: finding the framing (in the
/// schema-id header if present, else before the payload) and the writer's schema, fetched
/// once per id.
struct SchemaLocator: Sendable {
    let registry: SchemaRegistryClient
    let isKey: Bool
    let hasMessageIndexes: Bool

    func locate(
        _ bytes: UnsafeRawBufferPointer,
        headers: [RecordHeader]
    ) throws(SchemaRegistryError) -> (framing: ConfluentWireFormat, payload: UnsafeRawBufferPointer) {
        let name = isKey ? ConfluentWireFormat.keySchemaIDHeader : ConfluentWireFormat.valueSchemaIDHeader
        if !headers.isEmpty, let header = headers.lastValue(forKey: name), let value = header {
            return (try ConfluentWireFormat.read(header: value, withMessageIndexes: hasMessageIndexes), bytes)
        }
        return try ConfluentWireFormat.read(bytes, withMessageIndexes: hasMessageIndexes)
    }

    /// The writer's schema: cached, or one blocking request the first time.
    func schema(_ id: SchemaID) throws(SchemaRegistryError) -> Schema {
        if let known = registry.cachedSchema(id) { return known }
        return try registry.executeBlocking(registry.schemaRequest(id))
    }
}
