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
    // The fields live in one shared, copy-on-write box: a KafkaError is then one pointer
    // wide, so the `KafkaError?` and `Result` values that every send and poll passes back
    // (nearly always empty or successful) stay small enough for registers, and only an
    // actual error pays for an allocation.
    private var storage: Storage

    private final class Storage: @unchecked Sendable {
        // @unchecked: mutated only through `mutableStorage`, when uniquely referenced.
        var code: Code
        var message: String
        var isRetriable: Bool
        var isFatal: Bool
        var requiresTransactionAbort: Bool
        var topic: String?
        var partition: Int32?
        var offset: Int64?
        var property: String?
        var underlyingError: (any Error & Sendable)?
        var securityFailure: SecurityFailure?

        init(
            code: Code, message: String, isRetriable: Bool, isFatal: Bool, requiresTransactionAbort: Bool,
            topic: String?, partition: Int32?, offset: Int64?, property: String?, underlyingError: (any Error & Sendable)?
        ) {
            self.code = code
            self.message = message
            self.isRetriable = isRetriable
            self.isFatal = isFatal
            self.requiresTransactionAbort = requiresTransactionAbort
            self.topic = topic
            self.partition = partition
            self.offset = offset
            self.property = property
            self.underlyingError = underlyingError
        }

        func copy() -> Storage {
            let copy = Storage(
                code: code, message: message, isRetriable: isRetriable, isFatal: isFatal,
                requiresTransactionAbort: requiresTransactionAbort, topic: topic, partition: partition,
                offset: offset, property: property, underlyingError: underlyingError
            )
            copy.securityFailure = securityFailure
            return copy
        }
    }

    private var mutableStorage: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    /// What went wrong, as a librdkafka or broker error code (``Code``).
    public var code: Code {
        get { storage.code }
        set { mutableStorage.code = newValue }
    }
    /// A human-readable explanation, usually librdkafka's own.
    public var message: String {
        get { storage.message }
        set { mutableStorage.message = newValue }
    }
    /// Whether repeating the same operation may succeed.
    public var isRetriable: Bool {
        get { storage.isRetriable }
        set { mutableStorage.isRetriable = newValue }
    }
    /// Whether the client is unusable from now on (for example a fenced or failed idempotent producer).
    public var isFatal: Bool {
        get { storage.isFatal }
        set { mutableStorage.isFatal = newValue }
    }
    /// Whether the current transaction must be aborted before the producer can continue.
    public var requiresTransactionAbort: Bool {
        get { storage.requiresTransactionAbort }
        set { mutableStorage.requiresTransactionAbort = newValue }
    }
    /// The topic the failed record or request was for.
    public var topic: String? {
        get { storage.topic }
        set { mutableStorage.topic = newValue }
    }
    /// The partition the failed record or request was for.
    public var partition: Int32? {
        get { storage.partition }
        set { mutableStorage.partition = newValue }
    }
    /// The offset concerned, for consumer-side errors.
    public var offset: Int64? {
        get { storage.offset }
        set { mutableStorage.offset = newValue }
    }
    /// The configuration property that was rejected.
    public var property: String? {
        get { storage.property }
        set { mutableStorage.property = newValue }
    }
    /// The error that caused this one, such as a `DecodingError` from a JSON deserializer.
    public var underlyingError: (any Error & Sendable)? {
        get { storage.underlyingError }
        set { mutableStorage.underlyingError = newValue }
    }

    /// Which security check failed, for TLS and authentication errors: an untrusted broker
    /// certificate, a hostname mismatch, rejected credentials. `nil` for every other error.
    public var securityFailure: SecurityFailure? {
        get { storage.securityFailure ?? SecurityFailure(code: code) }
        set { mutableStorage.securityFailure = newValue }
    }

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
        storage = Storage(
            code: code,
            message: message,
            isRetriable: isRetriable ?? code.isRetriableByDefault,
            isFatal: isFatal,
            requiresTransactionAbort: requiresTransactionAbort,
            topic: topic,
            partition: partition,
            offset: offset,
            property: property,
            underlyingError: underlyingError
        )
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
