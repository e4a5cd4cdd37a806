/// The cluster as one broker sees it: its brokers, topics and where each partition lives.
public struct ClusterMetadata: Sendable {
    public struct Broker: Sendable, Hashable {
        public var id: Int32
        public var host: String
        public var port: Int
    }

    public struct Partition: Sendable {
        public var id: Int32
        /// The broker that currently leads the partition, or -1 when it has none.
        public var leader: Int32
        /// Every broker holding a copy.
        public var replicas: [Int32]
        /// The replicas that are caught up with the leader (in-sync replicas).
        public var inSyncReplicas: [Int32]
        /// Why the partition's metadata is incomplete, if it is.
        public var error: KafkaError?
    }

    public struct Topic: Sendable {
        public var name: String
        public var partitions: [Partition]
        /// Why the topic's metadata is missing or incomplete (for example `unknownTopicOrPartition`).
        public var error: KafkaError?
    }

    public var brokers: [Broker]
    public var topics: [Topic]
    /// The broker that answered the request.
    public var originatingBrokerID: Int32

    public func topic(named name: String) -> Topic? { topics.first { $0.name == name } }
}
