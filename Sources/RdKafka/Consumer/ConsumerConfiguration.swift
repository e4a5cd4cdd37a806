/// How a ``KafkaConsumer`` joins its group, where it starts reading, how it commits and how
/// it fetches.
///
/// Settings left `nil` keep librdkafka's default. Durations are `Duration`s. Everything is
/// checked when the consumer is created, so a typo or an impossible value fails there,
/// naming the property.
///
/// The shared client settings (``ClientConfiguration``) are reachable directly, as in
/// `configuration.bootstrapServers` or `configuration.logger`.
@dynamicMemberLookup
public struct ConsumerConfiguration: Sendable {
    /// Settings shared with the producer.
    public var client: ClientConfiguration

    /// The consumer group (`group.id`). Needed for ``KafkaConsumer/subscribe(topics:listener:)``
    /// and for commits; a consumer that only uses ``KafkaConsumer/assign(_:)`` and never
    /// commits may leave it `nil`.
    public var groupID: String?
    /// A stable identity for static membership (`group.instance.id`): a member that restarts
    /// within the session timeout gets its partitions back without a rebalance.
    public var groupInstanceID: String?
    /// Where to start when a partition has no committed offset (`auto.offset.reset`).
    public var autoOffsetReset: AutoOffsetReset?
    /// Whether stored offsets are committed periodically in the background (`enable.auto.commit`).
    public var enableAutoCommit: Bool?
    /// How often auto commit runs (`auto.commit.interval.ms`).
    public var autoCommitInterval: Duration?
    /// Whether each record's offset is stored as soon as it is returned to you
    /// (`enable.auto.offset.store`). Turn it off and call ``KafkaConsumer/storeOffset(for:)``
    /// after processing, with auto commit on, for at-least-once without explicit commits.
    ///
    /// Unset (the default), the consumer stores the offsets itself, of the records it has
    /// returned, and sets librdkafka's property to `false`: librdkafka would store on
    /// hand-over, which covers the records ``KafkaConsumer/records`` reads ahead. Set to
    /// `true` explicitly, librdkafka stores on hand-over as asked, and `records` reads one
    /// record per librdkafka call to keep its commit guarantee (see ``KafkaConsumer/records``).
    public var enableAutoOffsetStore: Bool?
    /// Whether records of open or aborted transactions are returned (`isolation.level`).
    public var isolationLevel: IsolationLevel?
    /// How long the group waits for a silent member before reassigning its partitions
    /// (`session.timeout.ms`).
    public var sessionTimeout: Duration?
    /// How often the member tells the coordinator it is alive (`heartbeat.interval.ms`).
    public var heartbeatInterval: Duration?
    /// The longest the application may go without reading before the consumer leaves the
    /// group (`max.poll.interval.ms`). ``KafkaConsumer/records`` reads on its own while it waits.
    public var maxPollInterval: Duration?
    /// The least data a fetch response should carry (`fetch.min.bytes`).
    public var fetchMinBytes: Int?
    /// How long the broker may hold a fetch to gather ``fetchMinBytes`` (`fetch.wait.max.ms`).
    public var fetchMaxWait: Duration?
    /// The most bytes fetched per partition per request (`max.partition.fetch.bytes`).
    public var maxPartitionFetchBytes: Int?
    /// How many records per partition librdkafka tries to keep prefetched (`queued.min.messages`).
    public var queuedMinMessages: Int?
    /// The most prefetched data per partition, in KiB (`queued.max.messages.kbytes`).
    public var queuedMaxKilobytes: Int?
    /// How partitions are divided among members (`partition.assignment.strategy`). All members
    /// of a group must agree; eager and cooperative strategies cannot be mixed.
    public var assignmentStrategies: [AssignmentStrategy]?
    /// Whether reaching the end of a partition is reported to ``onPartitionEOF``
    /// (`enable.partition.eof`).
    public var enablePartitionEOF: Bool?
    /// Called on the polling task when a partition has been read to its end (with
    /// ``enablePartitionEOF``); the offset is the partition's end.
    public var onPartitionEOF: (@Sendable (TopicPartitionOffset) -> Void)?
    /// Whether records carry their headers (default `true`). With `false`, every record's
    /// ``ConsumerRecord/headers`` is empty.
    ///
    /// Reading them has a price even when records have none: librdkafka 2.0 allocates a
    /// parse buffer per record just to find the header count, about a tenth of what a batch
    /// read costs per record. Turn it off in a consumer that never looks at headers.
    public var readsHeaders = true

    public init(
        bootstrapServers: [String],
        groupID: String? = nil,
        clientID: String? = nil,
        autoOffsetReset: AutoOffsetReset? = nil,
        enableAutoCommit: Bool? = nil,
        properties: [String: String] = [:]
    ) {
        self.client = ClientConfiguration(bootstrapServers: bootstrapServers, clientID: clientID, properties: properties)
        self.groupID = groupID
        self.autoOffsetReset = autoOffsetReset
        self.enableAutoCommit = enableAutoCommit
    }

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<ClientConfiguration, T>) -> T {
        get { client[keyPath: keyPath] }
        set { client[keyPath: keyPath] = newValue }
    }

    /// All properties for librdkafka.
    func librdkafkaProperties() throws(KafkaError) -> [String: String] {
        var result = try client.typedProperties()
        result["group.id"] = groupID
        result["group.instance.id"] = groupInstanceID
        result["auto.offset.reset"] = autoOffsetReset?.rawValue
        result["enable.auto.commit"] = enableAutoCommit.map { $0 ? "true" : "false" }
        result["auto.commit.interval.ms"] = try autoCommitInterval?.wholeMilliseconds(for: "auto.commit.interval.ms")
        result["enable.auto.offset.store"] = enableAutoOffsetStore.map { $0 ? "true" : "false" }
        result["isolation.level"] = isolationLevel?.rawValue
        result["session.timeout.ms"] = try sessionTimeout?.wholeMilliseconds(for: "session.timeout.ms")
        result["heartbeat.interval.ms"] = try heartbeatInterval?.wholeMilliseconds(for: "heartbeat.interval.ms")
        result["max.poll.interval.ms"] = try maxPollInterval?.wholeMilliseconds(for: "max.poll.interval.ms")
        result["fetch.min.bytes"] = fetchMinBytes.map(String.init)
        result["fetch.wait.max.ms"] = try fetchMaxWait?.wholeMilliseconds(for: "fetch.wait.max.ms")
        result["max.partition.fetch.bytes"] = maxPartitionFetchBytes.map(String.init)
        result["queued.min.messages"] = queuedMinMessages.map(String.init)
        result["queued.max.messages.kbytes"] = queuedMaxKilobytes.map(String.init)
        if let assignmentStrategies {
            guard !assignmentStrategies.isEmpty else {
                throw KafkaError(
                    code: .invalidConfiguration,
                    message: "assignmentStrategies is empty: name at least one strategy or leave it nil",
                    property: "partition.assignment.strategy"
                )
            }
            result["partition.assignment.strategy"] = assignmentStrategies.map(\.rawValue).joined(separator: ",")
        }
        result["enable.partition.eof"] = enablePartitionEOF.map { $0 ? "true" : "false" }
        result.merge(client.properties) { _, passthrough in passthrough }
        return result
    }
}

extension ConsumerConfiguration {
    /// Where a partition without a committed offset starts.
    public enum AutoOffsetReset: String, Sendable, Hashable {
        /// At the oldest stored record.
        case earliest
        /// At the end: only records produced from now on.
        case latest
        /// Nowhere: reading throws `autoOffsetReset`, so the application decides.
        case error
    }

    /// Which records of transactional producers a consumer sees.
    public enum IsolationLevel: String, Sendable, Hashable {
        /// Only records of committed transactions (and non-transactional records).
        case readCommitted = "read_committed"
        /// Every record, including those of open and aborted transactions.
        case readUncommitted = "read_uncommitted"
    }

    /// A partition assignment strategy.
    public enum AssignmentStrategy: String, Sendable, Hashable {
        /// Contiguous partition ranges per topic (eager: every rebalance revokes everything).
        case range
        /// Partitions dealt out one by one (eager).
        case roundRobin = "roundrobin"
        /// Few moves, and only the moved partitions are revoked (incremental, two rounds).
        case cooperativeSticky = "cooperative-sticky"
    }
}
