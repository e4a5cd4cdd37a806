/// How a ``KafkaProducer`` batches, acknowledges, retries and partitions records.
///
/// Settings left `nil` keep librdkafka's default. Durations are `Duration`s and sizes carry
/// their unit in the name. Everything is checked when the producer is created, so a typo or
/// an impossible combination fails there and not at the first send.
///
/// The shared client settings (``ClientConfiguration``) are reachable directly, as in
/// `configuration.bootstrapServers` or `configuration.properties["socket.keepalive.enable"]`.
@dynamicMemberLookup
public struct ProducerConfiguration: Sendable {
    /// Settings shared with the consumer.
    public var client: ClientConfiguration

    /// How many replicas must have a record before the broker acknowledges it (`acks`).
    public var acks: Acks
    /// Whether retries may neither duplicate nor reorder records (`enable.idempotence`).
    /// Requires ``acks`` `.all`, at most 5 in-flight requests and retries > 0.
    public var enableIdempotence: Bool?
    /// Makes the producer transactional (`transactional.id`); implies idempotence.
    public var transactionalID: String?
    /// How long a transaction may stay open before the coordinator aborts it (`transaction.timeout.ms`).
    public var transactionTimeout: Duration?
    /// How long to wait for more records before sending a batch (`linger.ms`).
    public var linger: Duration?
    /// The largest batch in bytes (`batch.size`).
    public var batchSizeBytes: Int?
    /// The most records in one batch (`batch.num.messages`).
    public var batchRecordCount: Int?
    /// How batches are compressed (`compression.type`).
    public var compression: Compression?
    /// The codec's level; what is valid depends on the codec (`compression.level`).
    public var compressionLevel: Int?
    /// Requests sent to one broker before waiting for answers (`max.in.flight.requests.per.connection`).
    public var maxInFlightRequestsPerConnection: Int?
    /// How often a failed batch is retried (`retries`).
    public var retries: Int?
    /// The wait before a retry (`retry.backoff.ms`).
    public var retryBackoff: Duration?
    /// The bound on the time from send to delivery report, retries included (`delivery.timeout.ms`).
    public var deliveryTimeout: Duration?
    /// How long a produce request may wait for the broker's answer (`request.timeout.ms`).
    public var requestTimeout: Duration?
    /// The most records waiting in the producer's queue (`queue.buffering.max.messages`).
    public var maxQueuedRecords: Int?
    /// The most record bytes waiting in the producer's queue, in KiB (`queue.buffering.max.kbytes`).
    public var maxQueuedKilobytes: Int?
    /// The largest request, and so the largest record, the producer sends (`message.max.bytes`).
    public var maxMessageBytes: Int?
    /// Where records without an explicit partition go.
    public var partitioner: Partitioner
    /// How long a send may wait for room when the queue is full (Java's `max.block.ms`).
    public var maxBlock: Duration
    /// What the synchronous send methods do when the queue is full. `send` with `await`
    /// always suspends (up to ``maxBlock``) instead of blocking a thread.
    public var queueFullBehavior: QueueFullBehavior
    /// Receives the failures of records sent with ``KafkaProducer/sendAndForget(_:)``.
    /// `nil` logs them at error level through ``ClientConfiguration/logger``. Called on the
    /// producer's report thread, never inside a send.
    public var onDeliveryFailure: (@Sendable (KafkaError) -> Void)?

    public init(
        bootstrapServers: [String],
        acks: Acks = .all,
        clientID: String? = nil,
        enableIdempotence: Bool? = nil,
        transactionalID: String? = nil,
        linger: Duration? = nil,
        compression: Compression? = nil,
        partitioner: Partitioner = .javaCompatible,
        maxBlock: Duration = .seconds(60),
        queueFullBehavior: QueueFullBehavior = .block,
        properties: [String: String] = [:]
    ) {
        self.client = ClientConfiguration(bootstrapServers: bootstrapServers, clientID: clientID, properties: properties)
        self.acks = acks
        self.enableIdempotence = enableIdempotence
        self.transactionalID = transactionalID
        self.linger = linger
        self.compression = compression
        self.partitioner = partitioner
        self.maxBlock = maxBlock
        self.queueFullBehavior = queueFullBehavior
    }

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<ClientConfiguration, T>) -> T {
        get { client[keyPath: keyPath] }
        set { client[keyPath: keyPath] = newValue }
    }

    /// Whether the producer will run idempotently (explicitly, or because it is transactional).
    var isIdempotent: Bool {
        enableIdempotence == true || transactionalID != nil
            || client.properties["enable.idempotence"] == "true"
    }

    /// All properties for librdkafka, after checking the rules librdkafka would only
    /// enforce later or with a less helpful message.
    func librdkafkaProperties() throws(KafkaError) -> [String: String] {
        try validate()
        var result = try client.typedProperties()
        result["acks"] = acks.librdkafkaValue
        result["enable.idempotence"] = enableIdempotence.map { $0 ? "true" : "false" }
        result["transactional.id"] = transactionalID
        result["transaction.timeout.ms"] = try transactionTimeout?.wholeMilliseconds(for: "transaction.timeout.ms")
        result["linger.ms"] = try linger?.wholeMilliseconds(for: "linger.ms")
        result["batch.size"] = batchSizeBytes.map(String.init)
        result["batch.num.messages"] = batchRecordCount.map(String.init)
        result["compression.type"] = compression?.rawValue
        result["compression.level"] = compressionLevel.map(String.init)
        result["max.in.flight.requests.per.connection"] = maxInFlightRequestsPerConnection.map(String.init)
        result["retries"] = retries.map(String.init)
        result["retry.backoff.ms"] = try retryBackoff?.wholeMilliseconds(for: "retry.backoff.ms")
        result["delivery.timeout.ms"] = try deliveryTimeout?.wholeMilliseconds(for: "delivery.timeout.ms")
        result["request.timeout.ms"] = try requestTimeout?.wholeMilliseconds(for: "request.timeout.ms")
        result["queue.buffering.max.messages"] = maxQueuedRecords.map(String.init)
        result["queue.buffering.max.kbytes"] = maxQueuedKilobytes.map(String.init)
        result["message.max.bytes"] = maxMessageBytes.map(String.init)
        if let name = partitioner.librdkafkaName { result["partitioner"] = name }
        result.merge(client.properties) { _, passthrough in passthrough }
        return result
    }

    private func validate() throws(KafkaError) {
        if maxBlock < .zero {
            throw KafkaError(code: .invalidConfiguration, message: "maxBlock must not be negative", property: "max.block.ms")
        }
        guard isIdempotent else { return }
        let why = transactionalID != nil ? "a transactional producer is idempotent, and idempotence" : "enableIdempotence"
        if acks != .all {
            throw KafkaError(
                code: .invalidConfiguration,
                message: "\(why) requires acks = .all (got \(acks)): with fewer acknowledgements a retried batch could be lost or duplicated",
                property: "acks"
            )
        }
        if let maxInFlight = maxInFlightRequestsPerConnection, maxInFlight > 5 {
            throw KafkaError(
                code: .invalidConfiguration,
                message: "\(why) requires maxInFlightRequestsPerConnection <= 5 (got \(maxInFlight)): the broker tracks only the last 5 batches per producer",
                property: "max.in.flight.requests.per.connection"
            )
        }
        if let retries, retries <= 0 {
            throw KafkaError(
                code: .invalidConfiguration,
                message: "\(why) requires retries > 0 (got \(retries)): idempotence exists to make retries safe",
                property: "retries"
            )
        }
    }
}

extension ProducerConfiguration {
    /// The acknowledgement a produce request waits for.
    public enum Acks: Sendable, Hashable, CustomStringConvertible {
        /// The broker does not answer; records may be lost silently (`acks=0`).
        case zero
        /// The partition leader has written the record (`acks=1`).
        case one
        /// All in-sync replicas have the record (`acks=all`); with `min.insync.replicas` ≥ 2
        /// this survives the loss of a broker.
        case all

        var librdkafkaValue: String {
            switch self {
            case .zero: return "0"
            case .one: return "1"
            case .all: return "all"
            }
        }

        public var description: String { ".\(self == .zero ? "zero" : self == .one ? "one" : "all")" }
    }

    /// A batch compression codec.
    public enum Compression: String, Sendable, Hashable {
        case uncompressed = "none"
        case gzip
        case snappy
        case lz4
        case zstd
    }

    /// What a synchronous send does when librdkafka's queue is full.
    public enum QueueFullBehavior: Sendable, Hashable {
        /// Wait for room up to ``ProducerConfiguration/maxBlock``, then throw `queueFull`.
        case block
        /// Throw `queueFull` at once.
        case fail
    }
}
