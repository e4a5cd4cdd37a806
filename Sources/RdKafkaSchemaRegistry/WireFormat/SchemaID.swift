import Foundation

/// How a record names the registered schema it was written with.
public enum SchemaID: Hashable, Sendable, CustomStringConvertible {
    /// The registry's integer id, as in the classic wire format (magic byte 0).
    case id(Int32)
    /// The registry's schema GUID (magic byte 1), as newer Confluent serializers write it
    /// in the `__key_schema_id` / `__value_schema_id` header.
    case guid(UUID)

    public var description: String {
        switch self {
        case .id(let id): "id \(id)"
        case .guid(let guid): "guid \(guid.uuidString.lowercased())"
        }
    }
}
