/// A fixed-width integer in big-endian byte order, as the Java client's
/// `ShortSerializer`, `IntegerSerializer` and `LongSerializer` write it.
public struct BigEndianIntegerSerializer<Value: FixedWidthInteger & Sendable>: Serializer {
    public init() {}

    public func serialize(_ value: Value, topic: String) throws -> [UInt8]? {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    public func withSerializedBytes<Result>(
        of value: Value,
        topic: String,
        _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result {
        try withUnsafeBytes(of: value.bigEndian) { try body($0) }
    }
}

/// A fixed-width big-endian integer; a payload of any other size is an error.
public struct BigEndianIntegerDeserializer<Value: FixedWidthInteger & Sendable>: Deserializer {
    public init() {}

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> Value {
        let size = MemoryLayout<Value>.size
        guard bytes.count == size else {
            throw SerializationError("expected \(size) bytes for \(Value.self), got \(bytes.count)")
        }
        return Value(bigEndian: bytes.loadUnaligned(as: Value.self))
    }
}

/// An IEEE 754 double in big-endian byte order, as the Java client's `DoubleSerializer`.
public struct BigEndianDoubleSerializer: Serializer {
    public init() {}

    public func serialize(_ value: Double, topic: String) throws -> [UInt8]? {
        withUnsafeBytes(of: value.bitPattern.bigEndian) { Array($0) }
    }

    public func withSerializedBytes<Result>(
        of value: Double,
        topic: String,
        _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result {
        try withUnsafeBytes(of: value.bitPattern.bigEndian) { try body($0) }
    }
}

/// An IEEE 754 big-endian double; a payload of any other size than 8 bytes is an error.
public struct BigEndianDoubleDeserializer: Deserializer {
    public init() {}

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> Double {
        guard bytes.count == 8 else { throw SerializationError("expected 8 bytes for Double, got \(bytes.count)") }
        return Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)))
    }
}

extension Serializer where Self == BigEndianIntegerSerializer<Int16> {
    /// A big-endian `Int16` (Java `short`).
    public static var int16: Self { Self() }
}

extension Serializer where Self == BigEndianIntegerSerializer<Int32> {
    /// A big-endian `Int32` (Java `int`).
    public static var int32: Self { Self() }
}

extension Serializer where Self == BigEndianIntegerSerializer<Int64> {
    /// A big-endian `Int64` (Java `long`).
    public static var int64: Self { Self() }
}

extension Serializer where Self == BigEndianDoubleSerializer {
    /// A big-endian `Double` (Java `double`).
    public static var double: Self { Self() }
}

extension Deserializer where Self == BigEndianIntegerDeserializer<Int16> {
    /// A big-endian `Int16` (Java `short`).
    public static var int16: Self { Self() }
}

extension Deserializer where Self == BigEndianIntegerDeserializer<Int32> {
    /// A big-endian `Int32` (Java `int`).
    public static var int32: Self { Self() }
}

extension Deserializer where Self == BigEndianIntegerDeserializer<Int64> {
    /// A big-endian `Int64` (Java `long`).
    public static var int64: Self { Self() }
}

extension Deserializer where Self == BigEndianDoubleDeserializer {
    /// A big-endian `Double` (Java `double`).
    public static var double: Self { Self() }
}
