/// An error from swift-rdkafka or from librdkafka and the brokers behind it.
///
/// One type covers every failure so that callers can `catch let error as KafkaError` and
/// decide by the flags rather than by enumerating hundreds of codes:
///
/// - ``isRetriable``: the same call may succeed if repeated.
/// - ``requiresTransactionAbort``: abort the current transaction, then retry it.
/// - ``isFatal``: the client can no longer be used; close it and create a new one.
///
/// The record, topic, partition, offset or configuration property the error concerns are
/// attached where known, so a log line says which record failed and why.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a librdkafka or broker error code (``Code``).
    public var code: Code
    /// A human-readable explanation, usually librdkafka's own.
    public var message: String
    /// Whether repeating the same operation may succeed.
    public var isRetriable: Bool
    /// Whether the client is unusable from now on (for example a fenced or failed idempotent producer).
    public var isFatal: Bool
    /// Whether the current transaction must be aborted before the producer can continue.
    public var requiresTransactionAbort: Bool
    /// The topic the failed record or request was for.
    public var topic: String?
    /// The partition the failed record or request was for.
    public var partition: Int32?
    /// The offset concerned, for consumer-side errors.
    public var offset: Int64?
    /// The configuration property that was rejected.
    public var property: String?
    /// The error that caused this one, such as a `DecodingError` from a JSON deserializer.
    public var underlyingError: (any Error & Sendable)?

    /// Creates an error; the flags default to what librdkafka says of `code` in general.
    public init(
        code: Code,
        message: String,
        isRetriable: Bool? = nil,
        isFatal: Bool = false,
        requiresTransactionAbort: Bool = false,
        topic: String? = nil,
        partition: Int32? = nil,
        offset: Int64? = nil,
        property: String? = nil,
        underlyingError: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable ?? code.isRetriableByDefault
        self.isFatal = isFatal
        self.requiresTransactionAbort = requiresTransactionAbort
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.property = property
        self.underlyingError = underlyingError
    }

    public var description: String {
        var text = "KafkaError(\(code.name)): \(message)"
        var context: [String] = []
        if let topic { context.append("topic=\(topic)") }
        if let partition { context.append("partition=\(partition)") }
        if let offset { context.append("offset=\(offset)") }
        if let property { context.append("property=\(property)") }
        if isFatal { context.append("fatal") }
        if requiresTransactionAbort { context.append("requires transaction abort") }
        if isRetriable { context.append("retriable") }
        if !context.isEmpty { text += " [" + context.joined(separator: ", ") + "]" }
        if let underlyingError { text += " caused by: \(underlyingError)" }
        return text
    }

    /// The same error, with the coordinates of the record it concerns filled in.
    func concerning(topic: String?, partition: Int32? = nil, offset: Int64? = nil) -> KafkaError {
        var copy = self
        copy.topic = copy.topic ?? topic
        copy.partition = copy.partition ?? partition
        copy.offset = copy.offset ?? offset
        return copy
    }
}

extension KafkaError {
    /// The typed error every call on a closed client throws.
    @usableFromInline
    static func clientClosed(_ what: String) -> KafkaError {
        KafkaError(code: .clientClosed, message: "the \(what) is closed")
    }
}
