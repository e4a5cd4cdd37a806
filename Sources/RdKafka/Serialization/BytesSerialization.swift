import Foundation

/// Raw bytes, passed through unchanged.
public struct BytesSerializer: Serializer {
    public init() {}

    public func serialize(_ value: [UInt8], topic: String) throws -> [UInt8]? { value }

    public func withSerializedBytes<Result>(
        of value: [UInt8],
        topic: String,
        _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result {
        try value.withUnsafeBytes { try body($0) }
    }
}

/// Raw bytes, copied out of librdkafka's buffer.
public struct BytesDeserializer: Deserializer {
    public init() {}

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> [UInt8] { Array(bytes) }
}

/// Foundation `Data`, passed through unchanged.
public struct DataSerializer: Serializer {
    public init() {}

    public func serialize(_ value: Data, topic: String) throws -> [UInt8]? { Array(value) }

    public func withSerializedBytes<Result>(
        of value: Data,
        topic: String,
        _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result {
        try value.withUnsafeBytes { try body($0) }
    }
}

/// Foundation `Data`, copied out of librdkafka's buffer.
public struct DataDeserializer: Deserializer {
    public init() {}

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> Data { Data(bytes) }
}

extension Serializer where Self == BytesSerializer {
    /// Raw bytes.
    public static var bytes: BytesSerializer { BytesSerializer() }
}

extension Deserializer where Self == BytesDeserializer {
    /// Raw bytes.
    public static var bytes: BytesDeserializer { BytesDeserializer() }
}

extension Serializer where Self == DataSerializer {
    /// Foundation `Data`.
    public static var data: DataSerializer { DataSerializer() }
}

extension Deserializer where Self == DataDeserializer {
    /// Foundation `Data`.
    public static var data: DataDeserializer { DataDeserializer() }
}
