/// An error from parsing an Avro schema, encoding or decoding a value, or resolving a writer's
/// schema against a reader's.
///
/// ``path`` names where it happened, from the root record down: `Customer.address.zip`,
/// `Order.lines[2].sku` or `Tags["colour"]`. It is empty when the error is about the whole
/// schema or value.
public struct AvroError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Hashable {
        /// The schema JSON is not valid JSON or not a valid Avro schema.
        case invalidSchema
        /// The bytes are not a valid encoding for the writer's schema: truncated, a bad
        /// varint, a length past the end of the input, a union branch out of range, ...
        case malformedData
        /// A value given to the encoder does not fit the schema.
        case valueMismatch
        /// The writer's and reader's schemas cannot be resolved (Avro schema resolution).
        case incompatibleSchemas
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// Where the failure happened, for example `Customer.address.zip`; empty at the root.
    public var path: String
    /// Why it failed, in words.
    public var reason: String

    /// Creates an error of `kind` at `path`.
    public init(_ kind: Kind, path: String = "", reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String {
        path.isEmpty ? "Avro \(kind): \(reason)" : "Avro \(kind) at \(path): \(reason)"
    }

    /// The same error one level further out: `component` is a record name, `.field`,
    /// `[index]` or `["key"]`.
    func within(_ component: String) -> AvroError {
        var copy = self
        if copy.path.isEmpty {
            copy.path = component
        } else if copy.path.hasPrefix("[") {
            copy.path = component + copy.path
        } else {
            copy.path = component + "." + copy.path
        }
        return copy
    }
}
