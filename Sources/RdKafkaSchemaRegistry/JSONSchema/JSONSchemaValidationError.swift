/// Why a JSON document does not validate against a JSON Schema.
///
/// ``instancePath`` is a JSON pointer (RFC 6901) to the failing value: `""` is the whole
/// document, `/items/2/sku` the `sku` member of the third element of `items`.
public struct JSONSchemaValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The document breaks a keyword of the schema (named by ``keyword``).
        case violation
        /// The document is not JSON.
        case malformedDocument
        /// Validating would take more than the validator's step budget, or nest deeper than
        /// its limit (a schema whose references loop without consuming the document).
        case tooComplex
    }

    public var kind: Kind
    /// A JSON pointer to the value that failed.
    public var instancePath: String
    /// The schema keyword that failed (`type`, `required`, `pattern`, ...); empty when the
    /// kind is not ``Kind/violation``.
    public var keyword: String
    public var reason: String

    public init(_ kind: Kind, instancePath: String, keyword: String, reason: String) {
        self.kind = kind
        self.instancePath = instancePath
        self.keyword = keyword
        self.reason = reason
    }

    public var description: String {
        let place = instancePath.isEmpty ? "the document" : instancePath
        return keyword.isEmpty ? "\(place): \(reason)" : "\(place): \(reason) (\(keyword))"
    }
}
