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
