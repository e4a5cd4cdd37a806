/// A Kafka cluster inside your process, for tests and demos: librdkafka's mock cluster.
///
/// It speaks the real Kafka protocol on loopback, so producers and consumers connect to
/// ``bootstrapServers`` exactly as to a real cluster, and it can inject faults: request
/// errors, brokers going down, slow brokers, leader moves.
///
/// ```swift
/// let cluster = try EmbeddedKafkaCluster(brokers: 3)
/// try cluster.createTopic("orders", partitions: 6, replicationFactor: 3)
/// let producer = try KafkaProducer(
///     configuration: .init(bootstrapServers: cluster.bootstrapServers),
///     keySerializer: .string, valueSerializer: .string)
/// try cluster.pushRequestErrors(.produce, [.notLeaderForPartition, .requestTimedOut])
/// ```
///
/// What librdkafka's mock does not emulate (as of 2.0.2): topic and config admin requests,
/// transaction markers and fencing, timestamp lookups and static membership. Topics are
/// also created automatically on first use, with 4 partitions. Brokers are numbered from 1.
public final class EmbeddedKafkaCluster: Sendable {
    private let native: NativeMockCluster

    /// How many brokers the cluster runs.
    public let brokerCount: Int

    /// Starts `brokers` brokers listening on loopback.
    public init(brokers: Int = 1) throws(KafkaError) {
        guard brokers >= 1 else {
            throw KafkaError(code: .invalidArgument, message: "an embedded cluster needs at least one broker")
        }
        native = try NativeMockCluster(brokerCount: Int32(clamping: brokers))
        brokerCount = brokers
    }

    /// The `host:port` of every broker, for ``ClientConfiguration/bootstrapServers``.
    public var bootstrapServers: [String] {
        native.bootstrapServers.split(separator: ",").map(String.init)
    }

    /// Creates a topic (replication is capped at the broker count by the mock).
    public func createTopic(_ name: String, partitions: Int = 1, replicationFactor: Int = 1) throws(KafkaError) {
        try native.createTopic(name, partitions: Int32(clamping: partitions), replicationFactor: Int32(clamping: replicationFactor))
    }

    /// Makes every request for `topic` fail with `code` (`.noError` clears it).
    public func setTopicError(_ topic: String, _ code: KafkaError.Code) throws(KafkaError) {
        try native.setTopicError(topic, code: code.rawValue)
    }

    /// Makes the next requests of `api`, on any broker, fail with `errors` in order, one each.
    public func pushRequestErrors(_ api: KafkaAPI, _ errors: [KafkaError.Code]) throws(KafkaError) {
        try native.pushRequestErrors(apiKey: api.rawValue, codes: errors.map(\.rawValue))
    }

    /// Forgets errors pushed for `api` and not yet used.
    public func clearRequestErrors(_ api: KafkaAPI) throws(KafkaError) {
        try native.clearRequestErrors(apiKey: api.rawValue)
    }

    /// Makes the next requests of `api` to `broker` answer with `errors` in order, each after
    /// its round-trip delay (`.noError` with a delay just slows the answer).
    public func pushRequestErrors(
        _ api: KafkaAPI,
        broker: Int,
        _ errors: [(code: KafkaError.Code, roundTrip: Duration)]
    ) throws(KafkaError) {
        try native.pushBrokerRequestErrors(
            broker: Int32(clamping: broker),
            apiKey: api.rawValue,
            errors: errors.map { (code: $0.code.rawValue, roundTripMilliseconds: Duration.timeoutMilliseconds($0.roundTrip)) }
        )
    }

    /// Takes `broker` down: its connections drop and new ones are refused until ``setBrokerUp(_:)``.
    public func setBrokerDown(_ broker: Int) throws(KafkaError) {
        try native.setBrokerDown(Int32(clamping: broker))
    }

    /// Brings `broker` back up.
    public func setBrokerUp(_ broker: Int) throws(KafkaError) {
        try native.setBrokerUp(Int32(clamping: broker))
    }

    /// Delays every answer from `broker` by `roundTrip`.
    public func setRoundTripTime(_ roundTrip: Duration, broker: Int) throws(KafkaError) {
        try native.setBrokerRoundTripTime(Int32(clamping: broker), milliseconds: Duration.timeoutMilliseconds(roundTrip))
    }

    /// Moves the leadership of `topic`-`partition` to `broker`; `nil` leaves it leaderless.
    public func setPartitionLeader(topic: String, partition: Int, broker: Int?) throws(KafkaError) {
        try native.setPartitionLeader(topic: topic, partition: Int32(clamping: partition), broker: broker.map { Int32(clamping: $0) } ?? -1)
    }

    /// Makes consumers fetch `topic`-`partition` from follower `broker`.
    public func setPartitionFollower(topic: String, partition: Int, broker: Int) throws(KafkaError) {
        try native.setPartitionFollower(topic: topic, partition: Int32(clamping: partition), broker: Int32(clamping: broker))
    }

    /// Makes `broker` the coordinator of consumer group `groupID`.
    public func setGroupCoordinator(_ groupID: String, broker: Int) throws(KafkaError) {
        try native.setCoordinator(keyType: "group", key: groupID, broker: Int32(clamping: broker))
    }

    /// Makes `broker` the coordinator of transactional id `transactionalID`.
    public func setTransactionCoordinator(_ transactionalID: String, broker: Int) throws(KafkaError) {
        try native.setCoordinator(keyType: "transaction", key: transactionalID, broker: Int32(clamping: broker))
    }

    /// Stops the brokers. Clients still connected see their connections drop. Idempotent;
    /// also happens when the last reference goes away.
    public func shutdown() {
        native.destroy()
    }
}

/// Kafka protocol request types, for fault injection on an ``EmbeddedKafkaCluster``.
public struct KafkaAPI: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let produce = KafkaAPI(rawValue: 0)
    public static let fetch = KafkaAPI(rawValue: 1)
    public static let listOffsets = KafkaAPI(rawValue: 2)
    public static let metadata = KafkaAPI(rawValue: 3)
    public static let offsetCommit = KafkaAPI(rawValue: 8)
    public static let offsetFetch = KafkaAPI(rawValue: 9)
    public static let findCoordinator = KafkaAPI(rawValue: 10)
    public static let joinGroup = KafkaAPI(rawValue: 11)
    public static let heartbeat = KafkaAPI(rawValue: 12)
    public static let leaveGroup = KafkaAPI(rawValue: 13)
    public static let syncGroup = KafkaAPI(rawValue: 14)
    public static let initProducerID = KafkaAPI(rawValue: 22)
    public static let addPartitionsToTransaction = KafkaAPI(rawValue: 24)
    public static let addOffsetsToTransaction = KafkaAPI(rawValue: 25)
    public static let endTransaction = KafkaAPI(rawValue: 26)
    public static let transactionOffsetCommit = KafkaAPI(rawValue: 28)
}
