import Foundation

/// A decoded snapshot of the statistics librdkafka emits every `statistics.interval.ms`.
///
/// librdkafka delivers statistics as a JSON document (see librdkafka's `STATISTICS.md`). This type
/// models the fields that are commonly monitored, with Swift names; the JSON key each property
/// comes from is given in its documentation. All sizes are in bytes unless noted otherwise.
///
/// Decoding is deliberately tolerant so that other librdkafka versions, which add, remove or
/// rename fields, still decode: every field that is missing (or has an unexpected type) falls back
/// to a documented default (`0`, `""`, `false`, `-1001` for offsets, `-1` for lags and ids) or to
/// `nil` for whole optional sections. Only a document that is not a JSON object fails to decode.
/// Anything that is not modelled here can be read from ``json``.
///
/// Counters that librdkafka documents as "int" are cumulative since the client instance was created;
/// "int gauge" values describe the current state. Window statistics (``Window``) cover only the
/// interval since the previous statistics emission.
public struct Statistics: Sendable, Decodable, Equatable {
    /// The raw JSON document this value was decoded from, for reading fields that are not modelled.
    ///
    /// This is the exact string passed to ``init(json:)`` (or the UTF-8 decoding of the bytes passed
    /// to ``init(jsonBytes:)``). It is empty when the value was decoded through another `Decoder`.
    public let json: String

    /// The handle instance name, for example `"rdkafka#producer-1"` (`name`).
    public let name: String
    /// The configured (or default) `client.id` (`client_id`).
    public let clientID: String
    /// Whether the statistics come from a producer or a consumer (`type`).
    public let type: ClientType
    /// librdkafka's internal monotonic clock when the statistics were produced, in microseconds (`ts`).
    ///
    /// Only useful for computing the time between two snapshots of the same process.
    public let timestamp: Int64
    /// Wall-clock time when the statistics were produced, in seconds since the Unix epoch (`time`).
    public let time: Int64
    /// Time since this client instance was created (`age`, reported in microseconds).
    public let age: Duration
    /// Number of operations (callbacks, events, …) waiting in the queue for the application to
    /// serve by polling (`replyq`, gauge).
    public let replyQueue: Int64
    /// Current number of messages in the producer queues (`msg_cnt`, gauge).
    public let messageCount: Int64
    /// Current total size in bytes of the messages in the producer queues (`msg_size`, gauge).
    public let messageSize: Int64
    /// Maximum number of messages allowed on the producer queues, that is
    /// `queue.buffering.max.messages` (`msg_max`).
    public let messageMax: Int64
    /// Maximum total size in bytes of messages allowed on the producer queues, that is
    /// `queue.buffering.max.kbytes` in bytes (`msg_size_max`).
    public let messageSizeMax: Int64
    /// Number of topics in the metadata cache (`metadata_cache_cnt`, gauge).
    public let metadataCacheCount: Int64

    /// Total number of requests sent to Kafka brokers (`tx`, cumulative).
    public let tx: Int64
    /// Total number of bytes transmitted to Kafka brokers (`tx_bytes`, cumulative).
    public let txBytes: Int64
    /// Total number of responses received from Kafka brokers (`rx`, cumulative).
    public let rx: Int64
    /// Total number of bytes received from Kafka brokers (`rx_bytes`, cumulative).
    public let rxBytes: Int64
    /// Total number of messages transmitted (produced) to Kafka brokers (`txmsgs`, cumulative).
    public let txMessages: Int64
    /// Total number of message bytes, including framing, transmitted to Kafka brokers
    /// (`txmsg_bytes`, cumulative).
    public let txMessageBytes: Int64
    /// Total number of messages consumed from Kafka brokers, not including ignored messages
    /// (`rxmsgs`, cumulative).
    public let rxMessages: Int64
    /// Total number of message bytes, including framing, received from Kafka brokers
    /// (`rxmsg_bytes`, cumulative).
    public let rxMessageBytes: Int64

    /// Per-broker statistics, sorted by broker name (`brokers`).
    ///
    /// Besides the real brokers this includes bootstrap brokers and logical brokers such as
    /// `"GroupCoordinator"` (see ``Broker/source``).
    public let brokers: [Broker]
    /// Per-topic statistics, sorted by topic name (`topics`).
    public let topics: [Topic]
    /// Consumer group state (`cgrp`); `nil` unless this is a consumer with a `group.id`.
    public let consumerGroup: ConsumerGroup?
    /// Idempotent and transactional producer state (`eos`); `nil` unless this is a producer with
    /// idempotence or transactions enabled.
    public let eos: EOS?

    /// Wall-clock time when the statistics were produced (``time`` as a `Date`).
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(time)) }

    /// The statistics of the broker with the given ``Broker/name``, if present.
    public func broker(named name: String) -> Broker? {
        brokers.first { $0.name == name }
    }

    /// The statistics of the topic with the given name, if present.
    public func topic(named name: String) -> Topic? {
        topics.first { $0.name == name }
    }

    /// Decodes statistics from the JSON string passed to librdkafka's statistics callback.
    ///
    /// - Throws: A `DecodingError` if `json` is not a JSON object.
    public init(json: String) throws {
        try self.init(json: json, data: Data(json.utf8))
    }

    /// Decodes statistics from UTF-8 encoded JSON bytes, as passed to librdkafka's statistics callback.
    ///
    /// - Throws: A `DecodingError` if the bytes are not a JSON object.
    public init(jsonBytes: some Collection<UInt8>) throws {
        let data = Data(jsonBytes)
        try self.init(json: String(decoding: data, as: UTF8.self), data: data)
    }

    private init(json: String, data: Data) throws {
        let decoder = JSONDecoder()
        decoder.userInfo[Self.rawJSONUserInfoKey] = json
        self = try decoder.decode(Statistics.self, from: data)
    }

    // Carries the raw document into `init(from:)` so that `json` can stay a `let`.
    // Never nil: the initializer accepts any raw value; it is failable only by declaration.
    private static let rawJSONUserInfoKey = CodingUserInfoKey(rawValue: "RdKafka.Statistics.rawJSON")!

    private enum CodingKeys: String, CodingKey {
        case name
        case clientID = "client_id"
        case type
        case ts
        case time
        case age
        case replyq
        case msgCnt = "msg_cnt"
        case msgSize = "msg_size"
        case msgMax = "msg_max"
        case msgSizeMax = "msg_size_max"
        case metadataCacheCnt = "metadata_cache_cnt"
        case tx
        case txBytes = "tx_bytes"
        case rx
        case rxBytes = "rx_bytes"
        case txmsgs
        case txmsgBytes = "txmsg_bytes"
        case rxmsgs
        case rxmsgBytes = "rxmsg_bytes"
        case brokers
        case topics
        case cgrp
        case eos
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        json = decoder.userInfo[Self.rawJSONUserInfoKey] as? String ?? ""
        name = c.lenient(.name) ?? ""
        clientID = c.lenient(.clientID) ?? ""
        type = ClientType(rawValue: c.lenient(.type) ?? "")
        timestamp = c.lenient(.ts) ?? 0
        time = c.lenient(.time) ?? 0
        age = .microseconds(c.lenient(.age) ?? Int64(0))
        replyQueue = c.lenient(.replyq) ?? 0
        messageCount = c.lenient(.msgCnt) ?? 0
        messageSize = c.lenient(.msgSize) ?? 0
        messageMax = c.lenient(.msgMax) ?? 0
        messageSizeMax = c.lenient(.msgSizeMax) ?? 0
        metadataCacheCount = c.lenient(.metadataCacheCnt) ?? 0
        tx = c.lenient(.tx) ?? 0
        txBytes = c.lenient(.txBytes) ?? 0
        rx = c.lenient(.rx) ?? 0
        rxBytes = c.lenient(.rxBytes) ?? 0
        txMessages = c.lenient(.txmsgs) ?? 0
        txMessageBytes = c.lenient(.txmsgBytes) ?? 0
        rxMessages = c.lenient(.rxmsgs) ?? 0
        rxMessageBytes = c.lenient(.rxmsgBytes) ?? 0
        brokers = c.lenientObjectValues(Broker.self, forKey: .brokers).sorted { $0.name < $1.name }
        topics = c.lenientObjectValues(Topic.self, forKey: .topics).sorted { $0.name < $1.name }
        consumerGroup = c.lenient(.cgrp)
        eos = c.lenient(.eos)
    }
}
