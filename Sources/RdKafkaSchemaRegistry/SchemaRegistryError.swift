/// What went wrong talking to a schema registry, or framing and decoding a record with it.
public struct SchemaRegistryError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The registry answered with an error: its HTTP status and its `error_code`
        /// (for example 40401 subject not found, 40403 schema not found, 409 incompatible,
        /// 42201 invalid schema; see ``SchemaRegistryError/ErrorCode``).
        case registry(status: Int, errorCode: Int)
        /// The registry could not be reached, or did not answer in time.
        case transport
        /// The registry answered something this client cannot read.
        case invalidResponse
        /// A record's bytes do not start with a valid Confluent framing.
        case invalidWireFormat
        /// The schema is not registered under the subject and auto-registration is off.
        case schemaNotRegistered
        /// A schema could not be used: wrong type, or it does not parse.
        case invalidSchema
        /// A value could not be encoded, or a payload decoded, with its schema.
        case serialization
        /// A schema id would have to be fetched on a thread that must not block (an event
        /// loop); call `prepare` first.
        case wouldBlock
    }

    /// The registry's documented `error_code` values.
    public enum ErrorCode {
        public static let subjectNotFound = 40401
        public static let versionNotFound = 40402
        public static let schemaNotFound = 40403
        public static let incompatibleSchema = 409
        public static let invalidSchema = 42201
        public static let invalidVersion = 42202
        public static let unauthorized = 401
    }

    public var kind: Kind
    public var message: String
    public var underlyingError: (any Error)?

    public init(_ kind: Kind, _ message: String, underlyingError: (any Error)? = nil) {
        self.kind = kind
        self.message = message
        self.underlyingError = underlyingError
    }

    /// The registry's `error_code`, when the registry answered with an error.
    public var registryErrorCode: Int? {
        if case .registry(_, let code) = kind { return code }
        return nil
    }

    public var description: String {
        switch kind {
        case .registry(let status, let code): "schema registry error \(code) (HTTP \(status)): \(message)"
        default: "\(kind): \(message)"
        }
    }

    static func invalidWireFormat(_ message: String) -> SchemaRegistryError { SchemaRegistryError(.invalidWireFormat, message) }
}
