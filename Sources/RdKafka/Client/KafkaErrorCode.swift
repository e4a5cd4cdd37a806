extension KafkaError {
    /// A librdkafka error code (negative: raised inside the client), a Kafka protocol error
    /// code (positive: returned by a broker), or one of swift-rdkafka's own (below -10 000).
    ///
    /// The common codes have names here; any other code librdkafka reports is still carried
    /// and ``name`` gives librdkafka's name for it.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// librdkafka's symbolic name, such as `MSG_SIZE_TOO_LARGE` or `_QUEUE_FULL`.
        public var name: String {
            if let own = Self.ownNames[rawValue] { return own }
            return NativeErrors.name(of: rawValue)
        }

        public var description: String { name }

        // swift-rdkafka's own codes.
        /// A configuration property or combination was rejected at construction.
        public static let invalidConfiguration = Code(rawValue: -10_001)
        /// The client was closed; nothing further is accepted.
        public static let clientClosed = Code(rawValue: -10_002)
        /// ``KafkaConsumer/wakeup()`` interrupted a blocked poll.
        public static let wakeup = Code(rawValue: -10_003)
        /// A record or argument is invalid before it reaches librdkafka (for example an empty topic name).
        public static let invalidRecord = Code(rawValue: -10_004)

        private static let ownNames: [Int32: String] = [
            -10_001: "INVALID_CONFIGURATION",
            -10_002: "CLIENT_CLOSED",
            -10_003: "WAKEUP",
            -10_004: "INVALID_RECORD",
        ]

        // librdkafka's local codes.
        public static let badMessage = Code(rawValue: -199)
        public static let destroy = Code(rawValue: -197)
        public static let failure = Code(rawValue: -196)
        public static let transport = Code(rawValue: -195)
        public static let messageTimedOut = Code(rawValue: -192)
        public static let partitionEOF = Code(rawValue: -191)
        public static let unknownPartition = Code(rawValue: -190)
        public static let unknownTopic = Code(rawValue: -188)
        public static let allBrokersDown = Code(rawValue: -187)
        public static let invalidArgument = Code(rawValue: -186)
        public static let timedOut = Code(rawValue: -185)
        public static let queueFull = Code(rawValue: -184)
        public static let waitingForCoordinator = Code(rawValue: -180)
        /// The consumer has no group (no ``ConsumerConfiguration/groupID``), and the call needs one.
        public static let unknownGroup = Code(rawValue: -179)
        public static let inProgress = Code(rawValue: -178)
        public static let previousInProgress = Code(rawValue: -177)
        public static let conflict = Code(rawValue: -173)
        public static let state = Code(rawValue: -172)
        public static let notImplemented = Code(rawValue: -170)
        public static let noOffset = Code(rawValue: -168)
        public static let timedOutQueue = Code(rawValue: -166)
        public static let unsupportedFeature = Code(rawValue: -165)
        public static let keySerialization = Code(rawValue: -162)
        public static let valueSerialization = Code(rawValue: -161)
        public static let keyDeserialization = Code(rawValue: -160)
        public static let valueDeserialization = Code(rawValue: -159)
        public static let purgedFromQueue = Code(rawValue: -152)
        public static let purgedInFlight = Code(rawValue: -151)
        public static let fatal = Code(rawValue: -150)
        public static let maxPollExceeded = Code(rawValue: -147)
        public static let notConfigured = Code(rawValue: -145)
        public static let fenced = Code(rawValue: -144)
        public static let assignmentLost = Code(rawValue: -142)
        public static let autoOffsetReset = Code(rawValue: -140)

        // Kafka protocol codes.
        public static let unknown = Code(rawValue: -1)
        public static let noError = Code(rawValue: 0)
        public static let offsetOutOfRange = Code(rawValue: 1)
        public static let invalidMessage = Code(rawValue: 2)
        public static let unknownTopicOrPartition = Code(rawValue: 3)
        public static let invalidMessageSize = Code(rawValue: 4)
        public static let leaderNotAvailable = Code(rawValue: 5)
        public static let notLeaderForPartition = Code(rawValue: 6)
        public static let requestTimedOut = Code(rawValue: 7)
        public static let brokerNotAvailable = Code(rawValue: 8)
        public static let messageSizeTooLarge = Code(rawValue: 10)
        public static let networkException = Code(rawValue: 13)
        public static let coordinatorLoadInProgress = Code(rawValue: 14)
        public static let coordinatorNotAvailable = Code(rawValue: 15)
        public static let notCoordinator = Code(rawValue: 16)
        public static let recordListTooLarge = Code(rawValue: 18)
        public static let notEnoughReplicas = Code(rawValue: 19)
        public static let notEnoughReplicasAfterAppend = Code(rawValue: 20)
        public static let illegalGeneration = Code(rawValue: 22)
        public static let unknownMemberID = Code(rawValue: 25)
        public static let rebalanceInProgress = Code(rawValue: 27)
        public static let topicAuthorizationFailed = Code(rawValue: 29)
        public static let groupAuthorizationFailed = Code(rawValue: 30)
        public static let clusterAuthorizationFailed = Code(rawValue: 31)
        public static let invalidTimestamp = Code(rawValue: 32)
        public static let topicAlreadyExists = Code(rawValue: 36)
        public static let invalidPartitions = Code(rawValue: 37)
        public static let invalidReplicationFactor = Code(rawValue: 38)
        public static let invalidConfig = Code(rawValue: 40)
        public static let invalidRequest = Code(rawValue: 42)
        public static let outOfOrderSequenceNumber = Code(rawValue: 45)
        public static let duplicateSequenceNumber = Code(rawValue: 46)
        public static let invalidProducerEpoch = Code(rawValue: 47)
        public static let invalidTransactionState = Code(rawValue: 48)
        public static let concurrentTransactions = Code(rawValue: 51)
        public static let transactionalIDAuthorizationFailed = Code(rawValue: 53)
        public static let unknownProducerID = Code(rawValue: 59)
        public static let nonEmptyGroup = Code(rawValue: 68)
        public static let groupIDNotFound = Code(rawValue: 69)
        public static let fencedInstanceID = Code(rawValue: 82)
        public static let throttlingQuotaExceeded = Code(rawValue: 89)
        public static let producerFenced = Code(rawValue: 90)

        /// Codes that mean "try again" whatever operation raised them.
        var isRetriableByDefault: Bool {
            switch self {
            case .queueFull, .timedOut, .timedOutQueue, .transport, .allBrokersDown, .leaderNotAvailable,
                 .notLeaderForPartition, .requestTimedOut, .networkException, .coordinatorLoadInProgress,
                 .coordinatorNotAvailable, .notCoordinator, .notEnoughReplicas, .notEnoughReplicasAfterAppend,
                 .rebalanceInProgress, .waitingForCoordinator, .brokerNotAvailable, .concurrentTransactions:
                return true
            default:
                return false
            }
        }
    }
}
