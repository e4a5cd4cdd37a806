/// Who the cluster is: its id, its controller and its brokers (Java's `describeCluster`).
public struct ClusterDescription: Sendable {
    /// The cluster's id, `nil` when the brokers do not report one.
    public var clusterID: String?
    /// The broker that is the cluster's controller, `nil` when unknown.
    public var controllerID: Int32?
    public var brokers: [ClusterMetadata.Broker]
}

/// A topic's partitions, where they live, and its configuration (Java's `describeTopics`
/// with `describeConfigs`).
public struct TopicDescription: Sendable {
    public var name: String
    /// Each partition with its leader, replicas and in-sync replicas, by partition id.
    public var partitions: [ClusterMetadata.Partition]
    /// The topic's configuration by property name; empty when not asked for.
    public var configs: [String: ConfigEntry]
}
