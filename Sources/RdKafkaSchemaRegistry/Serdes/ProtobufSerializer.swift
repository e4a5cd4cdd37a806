import RdKafka
import SwiftProtobuf

/// swift-protobuf messages in Confluent's Protobuf wire format: the schema id, the message
/// indexes, then the message's binary encoding.
///
/// swift-protobuf's generated code does not carry its `.proto` source, so you pass the schema
/// text to register, and the indexes of the message type in it (`[0]`, the default, is the
/// first top-level message; `[1, 0]` the first message nested in the second). Resolution and
/// blocking behave as ``AvroSerializer``'s.
public struct ProtobufSerializer<Message: SwiftProtobuf.Message>: Serializer, RegistryFramedSerializer, Sendable {
    let resolver: SchemaIDResolver

    public init(
        registry: SchemaRegistryClient,
        schema: Schema,
        messageIndexes: [Int32] = [0],
        isKey: Bool = false,
        options: SchemaSerializerOptions = SchemaSerializerOptions()
    ) {
        resolver = SchemaIDResolver(
            registry: registry,
            schema: schema,
            recordName: Message.protoMessageName,
            isKey: isKey,
            options: options,
            messageIndexes: messageIndexes
        )
    }

    /// Registers (or looks up) the schema for `topics` now.
    public func prepare(topics: [String]) async throws(SchemaRegistryError) {
        try await resolver.prepare(topics: topics)
    }

    public func serialize(_ value: Message, topic: String, headers: inout [RecordHeader]) throws -> [UInt8]? {
        try resolver.serialize(topic: topic, headers: &headers) { try value.serializedBytes() }
    }
}

/// swift-protobuf messages from Confluent's Protobuf wire format. The framing is checked and
/// skipped; the message is decoded as `Message` (Protobuf's own rules keep old and new
/// readers compatible), so no schema is fetched.
public struct ProtobufDeserializer<Message: SwiftProtobuf.Message>: Deserializer, Sendable {
    let locator: SchemaLocator

    public init(registry: SchemaRegistryClient, isKey: Bool = false) {
        locator = SchemaLocator(registry: registry, isKey: isKey, hasMessageIndexes: true)
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> Message {
        try deserialize(bytes, topic: topic, headers: [])
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String, headers: [RecordHeader]) throws -> Message {
        let (_, payload) = try locator.locate(bytes, headers: headers)
        do {
            return try Message(serializedBytes: Array(payload))
        } catch {
            throw SchemaRegistryError(.serialization, "not a \(Message.protoMessageName): \(error)", underlyingError: error)
        }
    }
}
