/// A consumer group's state as its coordinator reports it.
public enum ConsumerGroupState: Sendable, Hashable {
    case unknown
    case preparingRebalance
    case completingRebalance
    case stable
    case dead
    case empty
}

/// A group found by ``KafkaAdminClient/listConsumerGroups(timeout:)``.
public struct ConsumerGroupListing: Sendable, Hashable {
    public var groupID: String
    /// Whether the group only stores offsets (no members joined through the group protocol).
    public var isSimpleConsumerGroup: Bool
    public var state: ConsumerGroupState
}

/// A group as described by ``KafkaAdminClient/describeConsumerGroups(_:timeout:)``.
public struct ConsumerGroupDescription: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var memberID: String
        public var clientID: String
        public var groupInstanceID: String?
        public var host: String
        public var assignment: [TopicPartition]
    }

    public var groupID: String
    public var isSimpleConsumerGroup: Bool
    public var state: ConsumerGroupState
    /// The assignment strategy in use, such as `range` or `cooperative-sticky`.
    public var partitionAssignor: String
    /// The broker coordinating the group.
    public var coordinatorID: Int32?
    public var members: [Member]
}

/// How far a group's committed offset is behind the end of one partition.
public struct PartitionLag: Sendable, Hashable {
    /// The group's committed offset (the next record it will read).
    public var committedOffset: Int64
    /// The offset the next produced record will get (the log end).
    public var highWatermark: Int64
    public init(committedOffset: Int64, highWatermark: Int64) {
        self.committedOffset = committedOffset
        self.highWatermark = highWatermark
    }

    /// Records between the committed offset and the log end.
    public var lag: Int64 { max(0, highWatermark - committedOffset) }
}

/// The lag of every partition a group has committed an offset for.
public struct ConsumerGroupLag: Sendable, Hashable {
    public var groupID: String
    public var partitions: [TopicPartition: PartitionLag]
    /// The sum over all partitions.
    public var totalLag: Int64 { partitions.values.reduce(0) { $0 + $1.lag } }
}
