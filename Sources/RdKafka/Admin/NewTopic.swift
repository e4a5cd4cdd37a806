/// A topic to create with ``KafkaAdminClient/createTopics(_:timeout:)``.
public struct NewTopic: Sendable, Hashable {
    public var name: String
    /// The number of partitions; `nil` uses the broker's `num.partitions`.
    public var partitions: Int?
    /// Copies of each partition; `nil` uses the broker's `default.replication.factor`.
    public var replicationFactor: Int?
    /// Topic configuration such as `["retention.ms": "86400000", "cleanup.policy": "compact"]`.
    public var configs: [String: String]

    public init(name: String, partitions: Int? = nil, replicationFactor: Int? = nil, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}
