import Foundation

/// Any `Encodable` value as JSON.
public struct JSONSerializer<Value: Encodable>: Serializer, @unchecked Sendable {
    // @unchecked: the encoder is configured once in init and only read afterwards;
    // `JSONEncoder.encode` does not mutate it.
    private let encoder: JSONEncoder

    public init(encoder: JSONEncoder = JSONEncoder()) {
        self.encoder = encoder
    }

    public func serialize(_ value: Value, topic: String) throws -> [UInt8]? {
        Array(try encoder.encode(value))
    }

    public func withSerializedBytes<Result>(
        of value: Value,
        topic: String,
        _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result {
        try encoder.encode(value).withUnsafeBytes { try body($0) }
    }
}

/// Any `Decodable` value from JSON; invalid JSON is an error carrying the `DecodingError`.
public struct JSONDeserializer<Value: Decodable>: Deserializer, @unchecked Sendable {
    // @unchecked: as for JSONSerializer, the decoder is only read after init.
    private let decoder: JSONDecoder

    public init(decoder: JSONDecoder = JSONDecoder()) {
        self.decoder = decoder
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer, topic: String) throws -> Value {
        try decoder.decode(Value.self, from: Data(bytes))
    }

    public func deserializeNull(topic: String) throws -> Value {
        throw SerializationError("a null payload cannot be decoded as \(Value.self); use .optional(.json(...)) to read nulls")
    }
}

extension Serializer {
    /// `Encodable` values as JSON.
    public static func json<T: Encodable>(_ type: T.Type = T.self, encoder: JSONEncoder = JSONEncoder()) -> Self
    where Self == JSONSerializer<T> {
        JSONSerializer(encoder: encoder)
    }
}

extension Deserializer {
    /// `Decodable` values from JSON.
    public static func json<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) -> Self
    where Self == JSONDeserializer<T> {
        JSONDeserializer(decoder: decoder)
    }
}
