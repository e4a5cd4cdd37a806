/// Turns a record's key or value into the bytes Kafka stores.
///
/// Implement ``serialize(_:topic:)`` for your own format. Built-ins cover strings, raw
/// bytes, big-endian integers and doubles (the Java client's formats) and `Codable` as JSON:
/// `.string`, `.bytes`, `.data`, `.int32`, `.json(Order.self)`.
///
/// A thrown error becomes a ``KafkaError`` with code `keySerialization` or
/// `valueSerialization`, and the record is not sent.
public protocol Serializer<Value>: Sendable {
    associatedtype Value

    /// The bytes for `value`, or `nil` to send a null (for example a compaction tombstone).
    func serialize(_ value: Value, topic: String) throws -> [UInt8]?

    /// Calls `body` with the bytes for `value` without necessarily copying them into an
    /// array first. The default calls ``serialize(_:topic:)``; the built-in string and byte
    /// serializers override it to hand over their storage directly.
    func withSerializedBytes<Result>(
        of value: Value,
        topic: String,
        _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result

    /// Whether the producer should call ``serialize(_:topic:headers:)``, which may add
    /// headers to the record (Java's `serialize(topic, headers, data)`). `false` by default:
    /// the producer then never copies a record's headers for its serializers.
    var writesHeaders: Bool { get }

    /// The bytes for `value`; may append to the record's `headers`, for example a schema
    /// id that is carried in a header rather than in the payload. Called instead of the
    /// other methods only when ``writesHeaders`` is `true`. The default calls
    /// ``serialize(_:topic:)``.
    func serialize(_ value: Value, topic: String, headers: inout [RecordHeader]) throws -> [UInt8]?
}

extension Serializer {
    public func withSerializedBytes<Result>(
        of value: Value,
        topic: String,
        _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result {
        guard let bytes = try serialize(value, topic: topic) else { return try body(nil) }
        return try bytes.withUnsafeBytes { try body($0) }
    }

    public var writesHeaders: Bool { false }

    public func serialize(_ value: Value, topic: String, headers: inout [RecordHeader]) throws -> [UInt8]? {
        try serialize(value, topic: topic)
    }
}

/// Turns the bytes of a consumed key or value back into your type.
///
/// A thrown error reaches the caller as a ``KafkaError`` with code `keyDeserialization` or
/// `valueDeserialization` naming the record's topic, partition and offset, so the caller
/// can skip the record or stop — a record is never dropped silently.
public protocol Deserializer<Value>: Sendable {
    associatedtype Value

    /// The value for `bytes`.
    func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> Value

    /// The value for `bytes`, given the record's headers (Java's
    /// `deserialize(topic, headers, data)`), for formats that carry part of what they need
    /// in a header, such as a schema id. The consumer always calls this one; the default
    /// calls ``deserialize(_:topic:)``. The headers are empty when the consumer's
    /// ``ConsumerConfiguration/readsHeaders`` is off.
    func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String, headers: [RecordHeader]) throws -> Value

    /// The value for a null payload. By default, what an empty payload decodes to; wrap a
    /// deserializer in `.optional(_:)` to read nulls (tombstones) as `nil` instead.
    func deserializeNull(topic: String) throws -> Value
}

extension Deserializer {
    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String, headers: [RecordHeader]) throws -> Value {
        try deserialize(bytes, topic: topic)
    }

    public func deserializeNull(topic: String) throws -> Value {
        try deserialize(UnsafeRawBufferPointer(start: nil, count: 0), topic: topic)
    }
}

/// Why a built-in serializer or deserializer refused its input.
public struct SerializationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
