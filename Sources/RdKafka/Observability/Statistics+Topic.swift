import Foundation

// Per-topic and per-partition statistics.
extension Statistics {
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
}
