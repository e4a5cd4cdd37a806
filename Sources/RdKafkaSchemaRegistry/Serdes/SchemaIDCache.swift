import Synchronization

/// What a deserializer makes of each writer schema (a resolved Avro reader, a JSON Schema
/// validator), by schema id, shared by the copies of one deserializer.
final class SchemaIDCache<Value: Sendable>: Sendable {
    private let values = Mutex<[SchemaID: Value]>([:])

    func cached(_ id: SchemaID) -> Value? { values.withLock { $0[id] } }

    func remember(_ value: Value, for id: SchemaID) { values.withLock { $0[id] = value } }
}
