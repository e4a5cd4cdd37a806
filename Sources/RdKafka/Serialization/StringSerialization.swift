/// UTF-8 strings, as the Java client's `StringSerializer`.
public struct StringSerializer: Serializer {
    public init() {}

    public func serialize(_ value: String, topic: String) throws -> [UInt8]? { Array(value.utf8) }

    public func withSerializedBytes<Result>(
        of value: String,
        topic: String,
        _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result {
        var value = value
        // Native strings are stored as contiguous UTF-8, so this hands over their buffer as is.
        return try value.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

/// UTF-8 strings; invalid UTF-8 is an error rather than being repaired with U+FFFD.
public struct StringDeserializer: Deserializer {
    public init() {}

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> String {
        guard let string = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw SerializationError("the payload is not valid UTF-8 (\(bytes.count) bytes)")
        }
        return string
    }
}

extension Serializer where Self == StringSerializer {
    /// UTF-8 strings.
    public static var string: StringSerializer { StringSerializer() }
}

extension Deserializer where Self == StringDeserializer {
    /// UTF-8 strings.
    public static var string: StringDeserializer { StringDeserializer() }
}
