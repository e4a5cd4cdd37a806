/// Decodes `Decodable` values from Avro's binary encoding, resolving the writer's schema
/// against the reader's.
///
/// The mapping is ``AvroEncoder``'s. To decode many records written with the same schema,
/// build an ``AvroReader`` once and use `decode(_:from:using:)`,
/// which skips resolving the schemas per record.
public struct AvroDecoder: Sendable {
    public init() {}

    /// Decodes a `T` from `bytes` written with `writer`, read as `reader`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer, writer: AvroSchema, reader: AvroSchema) throws -> T {
        try decode(type, from: bytes, using: AvroReader(writer: writer, reader: reader))
    }

    /// Decodes a `T` from `bytes` written with `writer`, read as `reader` (by default the
    /// writer's schema).
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], writer: AvroSchema, reader: AvroSchema? = nil) throws -> T {
        try bytes.withUnsafeBytes { buffer in
            try decode(type, from: buffer, writer: writer, reader: reader ?? writer)
        }
    }

    /// Decodes a `T` from `bytes` with an already resolved reader.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer, using reader: AvroReader) throws -> T {
        let value = try reader.decode(bytes)
        return try decode(type, from: value, schema: reader.reader)
    }

    /// Decodes a `T` from `bytes` with an already resolved reader.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], using reader: AvroReader) throws -> T {
        try bytes.withUnsafeBytes { buffer in try decode(type, from: buffer, using: reader) }
    }

    /// Decodes a `T` from a value of `schema`.
    public func decode<T: Decodable>(_ type: T.Type, from value: AvroValue, schema: AvroSchema) throws -> T {
        try AvroValueDecoder.decode(type, from: value, schema: schema)
    }
}
