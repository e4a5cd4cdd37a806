/// A serializer bound to its concrete type: calls its body with the bytes of one key or
/// value, and returns the body's answer (`nil`: accepted, else why not).
///
/// The producer keeps its serializers in this form rather than as `any Serializer<Value>`.
/// Called through an existential, `withSerializedBytes` runs unspecialized (over its
/// `Result` and, inside, over the storage it borrows), which costs runtime metadata
/// lookups on every send; this closure is made by ``make(_:)``, which is inlinable, so it
/// is compiled for the concrete serializer in the caller's build.
@usableFromInline
typealias RecordSerializing<Value> = @Sendable (
    _ value: Value,
    _ topic: String,
    _ body: (UnsafeRawBufferPointer?) -> KafkaError?
) throws -> KafkaError?

@usableFromInline
enum RecordSerializingFactory {
    @inlinable
    static func make<S: Serializer>(_ serializer: S) -> RecordSerializing<S.Value> {
        { value, topic, body in try serializer.withSerializedBytes(of: value, topic: topic, body) }
    }
}

/// The serializers of a producer whose key or value serializer writes headers (see
/// ``Serializer/writesHeaders``). Such a producer sends through these, on a path apart
/// from the usual one, which is why the usual path does not copy a record's headers.
@usableFromInline
struct HeaderWritingSerializers<Key, Value>: Sendable {
    @usableFromInline let serializeKey: @Sendable (Key, String, inout [RecordHeader]) throws -> [UInt8]?
    @usableFromInline let serializeValue: @Sendable (Value, String, inout [RecordHeader]) throws -> [UInt8]?

    @inlinable
    init(
        serializeKey: @escaping @Sendable (Key, String, inout [RecordHeader]) throws -> [UInt8]?,
        serializeValue: @escaping @Sendable (Value, String, inout [RecordHeader]) throws -> [UInt8]?
    ) {
        self.serializeKey = serializeKey
        self.serializeValue = serializeValue
    }
}

extension RecordSerializingFactory {
    /// `nil` unless one of the serializers writes headers.
    @inlinable
    static func makeHeaderWriting<KeySerializer: Serializer, ValueSerializer: Serializer>(
        _ keySerializer: KeySerializer,
        _ valueSerializer: ValueSerializer
    ) -> HeaderWritingSerializers<KeySerializer.Value, ValueSerializer.Value>? {
        guard keySerializer.writesHeaders || valueSerializer.writesHeaders else { return nil }
        return HeaderWritingSerializers(
            serializeKey: { try keySerializer.serialize($0, topic: $1, headers: &$2) },
            serializeValue: { try valueSerializer.serialize($0, topic: $1, headers: &$2) }
        )
    }
}
