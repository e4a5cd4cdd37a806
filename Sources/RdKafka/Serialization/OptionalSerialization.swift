/// Sends `nil` as a null payload (a tombstone on a compacted topic), anything else through `Wrapped`.
public struct OptionalSerializer<Wrapped: Serializer>: Serializer {
    public let wrapped: Wrapped

    public init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    public func serialize(_ value: Wrapped.Value?, topic: String) throws -> [UInt8]? {
        guard let value else { return nil }
        return try wrapped.serialize(value, topic: topic)
    }

    public func withSerializedBytes<Result>(
        of value: Wrapped.Value?,
        topic: String,
        _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result {
        guard let value else { return try body(nil) }
        return try wrapped.withSerializedBytes(of: value, topic: topic, body)
    }

    public var writesHeaders: Bool { wrapped.writesHeaders }

    public func serialize(_ value: Wrapped.Value?, topic: String, headers: inout [RecordHeader]) throws -> [UInt8]? {
        guard let value else { return nil }
        return try wrapped.serialize(value, topic: topic, headers: &headers)
    }
}

/// Reads a null payload as `nil`, anything else through `Wrapped`.
public struct OptionalDeserializer<Wrapped: Deserializer>: Deserializer {
    public let wrapped: Wrapped

    public init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> Wrapped.Value? {
        try wrapped.deserialize(bytes, topic: topic)
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String, headers: [RecordHeader]) throws -> Wrapped.Value? {
        try wrapped.deserialize(bytes, topic: topic, headers: headers)
    }

    public func deserializeNull(topic: String) throws -> Wrapped.Value? { nil }
}

extension Serializer {
    /// `nil` as a null payload, other values through `wrapped`.
    public static func optional<Wrapped: Serializer>(_ wrapped: Wrapped) -> Self where Self == OptionalSerializer<Wrapped> {
        OptionalSerializer(wrapped)
    }
}

extension Deserializer {
    /// A null payload as `nil`, other payloads through `wrapped`.
    public static func optional<Wrapped: Deserializer>(_ wrapped: Wrapped) -> Self where Self == OptionalDeserializer<Wrapped> {
        OptionalDeserializer(wrapped)
    }
}
