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

extension Statistics {
    /// The kind of client the statistics describe (`type`).
    public enum ClientType: Sendable, Hashable, CustomStringConvertible {
        /// A producer handle (`"producer"`).
        case producer
        /// A consumer handle (`"consumer"`).
        case consumer
        /// Any other value librdkafka may report, or `""` if the field is missing.
        case other(String)

        /// Creates a client type from librdkafka's string.
        public init(rawValue: String) {
            switch rawValue {
            case "producer": self = .producer
            case "consumer": self = .consumer
            default: self = .other(rawValue)
            }
        }

        /// librdkafka's string for this client type.
        public var rawValue: String {
            switch self {
            case .producer: "producer"
            case .consumer: "consumer"
            case .other(let value): value
            }
        }

        public var description: String { rawValue }
    }

    /// Rolling-window statistics over the samples collected since the previous statistics emission.
    ///
    /// The unit depends on the window: ``Broker/rtt``, ``Broker/internalLatency`` and
    /// ``Broker/outbufLatency`` are in microseconds, ``Broker/throttle`` is in milliseconds,
    /// ``Topic/batchSize`` is in bytes and ``Topic/batchCount`` in messages. Percentiles are taken
    /// from an HDR histogram. All values are `0` when ``count`` is `0`, that is when no samples
    /// were collected in the window.
    public struct Window: Sendable, Hashable, Decodable {
        /// Smallest value (`min`).
        public let min: Int64
        /// Largest value (`max`).
        public let max: Int64
        /// Average value (`avg`).
        public let avg: Int64
        /// Sum of the values (`sum`).
        public let sum: Int64
        /// Standard deviation, based on the histogram (`stddev`).
        public let stddev: Int64
        /// 50th percentile (`p50`).
        public let p50: Int64
        /// 75th percentile (`p75`).
        public let p75: Int64
        /// 90th percentile (`p90`).
        public let p90: Int64
        /// 95th percentile (`p95`).
        public let p95: Int64
        /// 99th percentile (`p99`).
        public let p99: Int64
        /// 99.99th percentile (`p99_99`).
        public let p99_99: Int64
        /// Number of values that were outside the histogram's range and skipped (`outofrange`).
        public let outOfRange: Int64
        /// Memory size of the HDR histogram, in bytes (`hdrsize`).
        public let hdrSize: Int64
        /// Number of values sampled in the window (`cnt`).
        public let count: Int64

        /// A window without samples; used when librdkafka does not report a window.
        public static let empty = Window(values: [:])

        private init(values: [String: Int64]) {
            min = values["min"] ?? 0
            max = values["max"] ?? 0
            avg = values["avg"] ?? 0
            sum = values["sum"] ?? 0
            stddev = values["stddev"] ?? 0
            p50 = values["p50"] ?? 0
            p75 = values["p75"] ?? 0
            p90 = values["p90"] ?? 0
            p95 = values["p95"] ?? 0
            p99 = values["p99"] ?? 0
            p99_99 = values["p99_99"] ?? 0
            outOfRange = values["outofrange"] ?? 0
            hdrSize = values["hdrsize"] ?? 0
            count = values["cnt"] ?? 0
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            var values: [String: Int64] = [:]
            for key in c.allKeys {
                if let value: Int64 = c.lenient(key) { values[key.stringValue] = value }
            }
            self.init(values: values)
        }
    }

    /// Statistics for one broker connection (`brokers.*`).
    public struct Broker: Sendable, Equatable, Decodable {
        /// Broker hostname, port and broker id, for example `"example.com:9092/13"`, or the name
        /// of a logical broker such as `"GroupCoordinator"` (`name`). This is also the key in the
        /// `brokers` object.
        public let name: String
        /// Broker id, `-1` for bootstrap brokers (`nodeid`).
        public let nodeID: Int32
        /// Broker hostname and port (`nodename`).
        public let nodeName: String
        /// How the broker was learned: `"learned"`, `"configured"`, `"internal"` or `"logical"` (`source`).
        public let source: String
        /// Broker connection state, for example `"INIT"`, `"DOWN"`, `"CONNECT"`, `"AUTH"`,
        /// `"APIVERSION_QUERY"`, `"AUTH_HANDSHAKE"`, `"UP"` or `"UPDATE"` (`state`).
        public let state: String
        /// Time since the last broker state change (`stateage`, reported in microseconds).
        public let stateAge: Duration
        /// Number of requests awaiting transmission to the broker (`outbuf_cnt`, gauge).
        public let outbufCount: Int64
        /// Number of messages awaiting transmission to the broker (`outbuf_msg_cnt`, gauge).
        public let outbufMessageCount: Int64
        /// Number of requests in flight to the broker, awaiting a response (`waitresp_cnt`, gauge).
        public let waitResponseCount: Int64
        /// Number of messages in flight to the broker, awaiting a response (`waitresp_msg_cnt`, gauge).
        public let waitResponseMessageCount: Int64
        /// Total number of requests sent (`tx`, cumulative).
        public let tx: Int64
        /// Total number of bytes sent (`txbytes`, cumulative).
        public let txBytes: Int64
        /// Total number of transmission errors (`txerrs`, cumulative).
        public let txErrors: Int64
        /// Total number of request retries (`txretries`, cumulative).
        public let txRetries: Int64
        /// Total number of requests that timed out (`req_timeouts`, cumulative).
        public let requestTimeouts: Int64
        /// Total number of responses received (`rx`, cumulative).
        public let rx: Int64
        /// Total number of bytes received (`rxbytes`, cumulative).
        public let rxBytes: Int64
        /// Total number of receive errors (`rxerrs`, cumulative).
        public let rxErrors: Int64
        /// Number of connection attempts, including failed ones and name resolution failures
        /// (`connects`, cumulative).
        public let connects: Int64
        /// Number of disconnects, whether triggered by the broker, the network, a load balancer, …
        /// (`disconnects`, cumulative).
        public let disconnects: Int64
        /// Internal producer queue latency, in microseconds (`int_latency`).
        public let internalLatency: Window
        /// Internal request queue latency, in microseconds: the time from enqueueing a request on the
        /// transmit queue until it is written to the socket (`outbuf_latency`).
        public let outbufLatency: Window
        /// Broker round-trip time, in **microseconds** (`rtt`).
        public let rtt: Window
        /// Broker throttling time, in **milliseconds** (`throttle`).
        public let throttle: Window

        /// Whether the broker connection is up (``state`` is `"UP"`).
        public var isUp: Bool { state == "UP" }

        private enum CodingKeys: String, CodingKey {
            case name, nodeid, nodename, source, state, stateage
            case outbufCnt = "outbuf_cnt"
            case outbufMsgCnt = "outbuf_msg_cnt"
            case waitrespCnt = "waitresp_cnt"
            case waitrespMsgCnt = "waitresp_msg_cnt"
            case tx, txbytes, txerrs, txretries
            case reqTimeouts = "req_timeouts"
            case rx, rxbytes, rxerrs, connects, disconnects
            case intLatency = "int_latency"
            case outbufLatency = "outbuf_latency"
            case rtt, throttle
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = c.lenient(.name) ?? decoder.codingPath.last?.stringValue ?? ""
            nodeID = c.lenient(.nodeid) ?? -1
            nodeName = c.lenient(.nodename) ?? ""
            source = c.lenient(.source) ?? ""
            state = c.lenient(.state) ?? ""
            stateAge = .microseconds(c.lenient(.stateage) ?? Int64(0))
            outbufCount = c.lenient(.outbufCnt) ?? 0
            outbufMessageCount = c.lenient(.outbufMsgCnt) ?? 0
            waitResponseCount = c.lenient(.waitrespCnt) ?? 0
            waitResponseMessageCount = c.lenient(.waitrespMsgCnt) ?? 0
            tx = c.lenient(.tx) ?? 0
            txBytes = c.lenient(.txbytes) ?? 0
            txErrors = c.lenient(.txerrs) ?? 0
            txRetries = c.lenient(.txretries) ?? 0
            requestTimeouts = c.lenient(.reqTimeouts) ?? 0
            rx = c.lenient(.rx) ?? 0
            rxBytes = c.lenient(.rxbytes) ?? 0
            rxErrors = c.lenient(.rxerrs) ?? 0
            connects = c.lenient(.connects) ?? 0
            disconnects = c.lenient(.disconnects) ?? 0
            internalLatency = c.lenient(.intLatency) ?? .empty
            outbufLatency = c.lenient(.outbufLatency) ?? .empty
            rtt = c.lenient(.rtt) ?? .empty
            throttle = c.lenient(.throttle) ?? .empty
        }
    }

    /// Statistics for one topic (`topics.*`).
    public struct Topic: Sendable, Equatable, Decodable {
        /// The topic name (`topic`). This is also the key in the `topics` object.
        public let name: String
        /// Age of the client's topic object (`age`, reported in milliseconds).
        public let age: Duration
        /// Age of the metadata received from the brokers for this topic (`metadata_age`, reported in
        /// milliseconds).
        public let metadataAge: Duration
        /// Produced batch sizes, in bytes (`batchsize`).
        public let batchSize: Window
        /// Produced batch message counts, in messages (`batchcnt`).
        public let batchCount: Window
        /// Every partition librdkafka reports, sorted by partition id, including the internal
        /// unassigned partition `-1` ("UA") that holds producer messages not yet partitioned.
        ///
        /// Most callers want ``partitions``, which leaves out the internal partition.
        public let allPartitions: [Partition]

        /// The topic's real partitions (id `>= 0`), sorted by partition id.
        public var partitions: [Partition] {
            allPartitions.filter { $0.partition >= 0 }
        }

        /// The internal unassigned partition (id `-1`, "UA"), if reported.
        public var unassignedPartition: Partition? {
            allPartitions.first { $0.partition == Partition.unassignedID }
        }

        /// The statistics of the partition with the given id, if present.
        public func partition(_ id: Int32) -> Partition? {
            allPartitions.first { $0.partition == id }
        }

        private enum CodingKeys: String, CodingKey {
            case topic, age
            case metadataAge = "metadata_age"
            case batchsize, batchcnt, partitions
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = c.lenient(.topic) ?? decoder.codingPath.last?.stringValue ?? ""
            age = .milliseconds(c.lenient(.age) ?? Int64(0))
            metadataAge = .milliseconds(c.lenient(.metadataAge) ?? Int64(0))
            batchSize = c.lenient(.batchsize) ?? .empty
            batchCount = c.lenient(.batchcnt) ?? .empty
            allPartitions = c.lenientObjectValues(Partition.self, forKey: .partitions)
                .sorted { $0.partition < $1.partition }
        }
    }

    /// Statistics for one topic partition (`topics.*.partitions.*`).
    ///
    /// Offsets are reported raw: `-1001` (`RD_KAFKA_OFFSET_INVALID`) means "unknown / not set", and
    /// other negative values are librdkafka's logical offsets (for example `-2` for "beginning").
    public struct Partition: Sendable, Equatable, Decodable {
        /// The partition id of librdkafka's internal unassigned ("UA") partition.
        public static let unassignedID: Int32 = -1

        /// Partition id, `-1` for the internal unassigned ("UA") partition (`partition`).
        public let partition: Int32
        /// Id of the broker messages are currently fetched from, or `-1` (`broker`).
        public let broker: Int32
        /// Id of the current leader broker, or `-1` (`leader`).
        public let leader: Int32
        /// Whether the application explicitly desires the partition, for example because it is
        /// in the consumer's assignment (`desired`).
        public let desired: Bool
        /// Whether the partition was not seen in the topic metadata from the broker (`unknown`).
        public let unknown: Bool
        /// Number of messages waiting to be produced in the first-level queue (`msgq_cnt`, gauge).
        public let messageQueueCount: Int64
        /// Number of bytes in the first-level queue (`msgq_bytes`, gauge).
        public let messageQueueBytes: Int64
        /// Number of messages ready to be produced in the transmit queue (`xmit_msgq_cnt`, gauge).
        public let transmitQueueCount: Int64
        /// Number of bytes in the transmit queue (`xmit_msgq_bytes`, gauge).
        public let transmitQueueBytes: Int64
        /// Number of pre-fetched messages in the fetch queue (`fetchq_cnt`, gauge).
        public let fetchQueueCount: Int64
        /// Number of bytes in the fetch queue (`fetchq_size`, gauge).
        public let fetchQueueSize: Int64
        /// Consumer fetch state: `"none"`, `"stopping"`, `"stopped"`, `"offset-query"`,
        /// `"offset-wait"` or `"active"` (`fetch_state`).
        public let fetchState: String
        /// Current or last logical offset query (`query_offset`).
        public let queryOffset: Int64
        /// Next offset to fetch (`next_offset`).
        public let nextOffset: Int64
        /// Offset of the last message passed to the application, plus one (`app_offset`).
        public let appOffset: Int64
        /// Offset to be committed (`stored_offset`).
        public let storedOffset: Int64
        /// Last committed offset (`committed_offset`).
        public let committedOffset: Int64
        /// Offset at which the last partition EOF was signalled (`eof_offset`).
        public let eofOffset: Int64
        /// The partition's low watermark offset on the broker (`lo_offset`).
        public let lowOffset: Int64
        /// The partition's high watermark offset on the broker (`hi_offset`).
        public let highOffset: Int64
        /// The partition's last stable offset on the broker, or the high watermark for brokers
        /// older than 0.11 (`ls_offset`).
        public let lastStableOffset: Int64
        /// Number of messages between the end of the partition (high watermark, or last stable
        /// offset with `isolation.level=read_committed`) and the committed offset; `-1` when
        /// unknown (`consumer_lag`).
        public let consumerLag: Int64
        /// Like ``consumerLag`` but relative to the stored offset (``storedOffset``); `-1` when
        /// unknown (`consumer_lag_stored`).
        public let consumerLagStored: Int64
        /// Total number of messages transmitted (produced) (`txmsgs`, cumulative).
        public let txMessages: Int64
        /// Total number of bytes transmitted for ``txMessages`` (`txbytes`, cumulative).
        public let txBytes: Int64
        /// Total number of messages consumed, not including ignored messages (`rxmsgs`, cumulative).
        public let rxMessages: Int64
        /// Total number of bytes received for ``rxMessages`` (`rxbytes`, cumulative).
        public let rxBytes: Int64
        /// For consumers the same as ``rxMessages``; for producers the total number of messages
        /// produced, possibly not yet transmitted (`msgs`, cumulative).
        public let messages: Int64
        /// Current number of messages in flight to or from the broker (`msgs_inflight`, gauge).
        public let messagesInFlight: Int64

        /// Whether this is librdkafka's internal unassigned ("UA") partition.
        public var isUnassigned: Bool { partition == Self.unassignedID }

        private enum CodingKeys: String, CodingKey {
            case partition, broker, leader, desired, unknown
            case msgqCnt = "msgq_cnt"
            case msgqBytes = "msgq_bytes"
            case xmitMsgqCnt = "xmit_msgq_cnt"
            case xmitMsgqBytes = "xmit_msgq_bytes"
            case fetchqCnt = "fetchq_cnt"
            case fetchqSize = "fetchq_size"
            case fetchState = "fetch_state"
            case queryOffset = "query_offset"
            case nextOffset = "next_offset"
            case appOffset = "app_offset"
            case storedOffset = "stored_offset"
            case committedOffset = "committed_offset"
            case eofOffset = "eof_offset"
            case loOffset = "lo_offset"
            case hiOffset = "hi_offset"
            case lsOffset = "ls_offset"
            case consumerLag = "consumer_lag"
            case consumerLagStored = "consumer_lag_stored"
            case txmsgs, txbytes, rxmsgs, rxbytes, msgs
            case msgsInflight = "msgs_inflight"
        }

        private static let invalidOffset: Int64 = -1001

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            partition = c.lenient(.partition)
                ?? decoder.codingPath.last.flatMap { Int32($0.stringValue) }
                ?? Self.unassignedID
            broker = c.lenient(.broker) ?? -1
            leader = c.lenient(.leader) ?? -1
            desired = c.lenient(.desired) ?? false
            unknown = c.lenient(.unknown) ?? false
            messageQueueCount = c.lenient(.msgqCnt) ?? 0
            messageQueueBytes = c.lenient(.msgqBytes) ?? 0
            transmitQueueCount = c.lenient(.xmitMsgqCnt) ?? 0
            transmitQueueBytes = c.lenient(.xmitMsgqBytes) ?? 0
            fetchQueueCount = c.lenient(.fetchqCnt) ?? 0
            fetchQueueSize = c.lenient(.fetchqSize) ?? 0
            fetchState = c.lenient(.fetchState) ?? ""
            queryOffset = c.lenient(.queryOffset) ?? Self.invalidOffset
            nextOffset = c.lenient(.nextOffset) ?? Self.invalidOffset
            appOffset = c.lenient(.appOffset) ?? Self.invalidOffset
            storedOffset = c.lenient(.storedOffset) ?? Self.invalidOffset
            committedOffset = c.lenient(.committedOffset) ?? Self.invalidOffset
            eofOffset = c.lenient(.eofOffset) ?? Self.invalidOffset
            lowOffset = c.lenient(.loOffset) ?? Self.invalidOffset
            highOffset = c.lenient(.hiOffset) ?? Self.invalidOffset
            lastStableOffset = c.lenient(.lsOffset) ?? Self.invalidOffset
            consumerLag = c.lenient(.consumerLag) ?? -1
            consumerLagStored = c.lenient(.consumerLagStored) ?? -1
            txMessages = c.lenient(.txmsgs) ?? 0
            txBytes = c.lenient(.txbytes) ?? 0
            rxMessages = c.lenient(.rxmsgs) ?? 0
            rxBytes = c.lenient(.rxbytes) ?? 0
            messages = c.lenient(.msgs) ?? 0
            messagesInFlight = c.lenient(.msgsInflight) ?? 0
        }
    }

    /// Consumer group statistics (`cgrp`).
    public struct ConsumerGroup: Sendable, Equatable, Decodable {
        /// The local consumer group handler's state, for example `"up"` (`state`).
        public let state: String
        /// Time since the last ``state`` change (`stateage`, reported in milliseconds).
        public let stateAge: Duration
        /// The local consumer group handler's join state, for example `"steady"` (`join_state`).
        public let joinState: String
        /// Time since the last rebalance, assign or revoke (`rebalance_age`, reported in milliseconds).
        public let rebalanceAge: Duration
        /// Total number of rebalances, assign or revoke (`rebalance_cnt`, cumulative).
        public let rebalanceCount: Int64
        /// Reason for the last rebalance, or `""` (`rebalance_reason`).
        public let rebalanceReason: String
        /// Number of partitions in the current assignment (`assignment_size`, gauge).
        public let assignmentSize: Int64

        private enum CodingKeys: String, CodingKey {
            case state, stateage
            case joinState = "join_state"
            case rebalanceAge = "rebalance_age"
            case rebalanceCnt = "rebalance_cnt"
            case rebalanceReason = "rebalance_reason"
            case assignmentSize = "assignment_size"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            state = c.lenient(.state) ?? ""
            stateAge = .milliseconds(c.lenient(.stateage) ?? Int64(0))
            joinState = c.lenient(.joinState) ?? ""
            rebalanceAge = .milliseconds(c.lenient(.rebalanceAge) ?? Int64(0))
            rebalanceCount = c.lenient(.rebalanceCnt) ?? 0
            rebalanceReason = c.lenient(.rebalanceReason) ?? ""
            assignmentSize = c.lenient(.assignmentSize) ?? 0
        }
    }

    /// Idempotent and transactional ("exactly once semantics") producer statistics (`eos`).
    public struct EOS: Sendable, Equatable, Decodable {
        /// The idempotent producer's producer-id state, for example `"Assigned"` (`idemp_state`).
        public let idempotentState: String
        /// Time since the last ``idempotentState`` change (`idemp_stateage`, reported in milliseconds).
        public let idempotentStateAge: Duration
        /// The transactional producer's state, for example `"InTransaction"` (`txn_state`).
        public let transactionState: String
        /// Time since the last ``transactionState`` change (`txn_stateage`, reported in milliseconds).
        public let transactionStateAge: Duration
        /// Whether the transactional state allows producing new messages (`txn_may_enq`).
        public let transactionMayEnqueue: Bool
        /// The currently assigned producer id, or `-1` (`producer_id`).
        public let producerID: Int64
        /// The current producer epoch, or `-1` (`producer_epoch`).
        public let producerEpoch: Int16
        /// Number of producer id assignments since the client was created (`epoch_cnt`, cumulative).
        public let epochCount: Int64

        private enum CodingKeys: String, CodingKey {
            case idempState = "idemp_state"
            case idempStateage = "idemp_stateage"
            case txnState = "txn_state"
            case txnStateage = "txn_stateage"
            case txnMayEnq = "txn_may_enq"
            case producerID = "producer_id"
            case producerEpoch = "producer_epoch"
            case epochCnt = "epoch_cnt"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            idempotentState = c.lenient(.idempState) ?? ""
            idempotentStateAge = .milliseconds(c.lenient(.idempStateage) ?? Int64(0))
            transactionState = c.lenient(.txnState) ?? ""
            transactionStateAge = .milliseconds(c.lenient(.txnStateage) ?? Int64(0))
            transactionMayEnqueue = c.lenient(.txnMayEnq) ?? false
            producerID = c.lenient(.producerID) ?? -1
            producerEpoch = c.lenient(.producerEpoch) ?? -1
            epochCount = c.lenient(.epochCnt) ?? 0
        }
    }
}

// MARK: - Tolerant decoding helpers

private struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// The value for `key`, or `nil` if it is missing, `null` or not decodable as `T`.
    fileprivate func lenient<T: Decodable>(_ key: Key) -> T? {
        (try? decodeIfPresent(T.self, forKey: key)) ?? nil
    }

    /// The decodable values of the JSON object stored under `key`, skipping members that do not
    /// decode; empty if `key` is missing or not an object.
    fileprivate func lenientObjectValues<T: Decodable>(_ type: T.Type, forKey key: Key) -> [T] {
        guard let object = try? nestedContainer(keyedBy: AnyCodingKey.self, forKey: key) else { return [] }
        return object.allKeys.compactMap { object.lenient($0) }
    }
}
