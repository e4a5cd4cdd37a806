import RdKafka

/// Checks up front that the cluster answers and the topics exist, so a typo or an
/// unreachable broker is one clear line instead of a wait for a delivery timeout.
enum TopicCheck {
    /// The partition count of each topic; throws for an unknown topic or partition.
    @discardableResult
    static func require(_ topics: [String], partition: Int32? = nil, on connection: Connection) async throws -> [String: Int] {
        try await connection.withAdmin { admin in try await require(topics, partition: partition, admin: admin, connection: connection) }
    }

    @discardableResult
    static func require(_ topics: [String], partition: Int32? = nil, admin: KafkaAdminClient, connection: Connection) async throws -> [String: Int] {
        if let embedded = connection.embedded {
            // A fresh embedded cluster (--embedded) has no topics yet: a demo gets them made.
            for name in Set(topics) {
                do { try embedded.createTopic(name) } catch { throw CLIFailure(error, while: "creating '\(name)' in the embedded cluster") }
            }
        }
        let metadata: ClusterMetadata
        do {
            // The full listing: asking for one topic by name lets a broker with
            // auto.create.topics.enable create a mistyped topic.
            metadata = try await admin.metadata()
        } catch {
            throw CLIFailure(error, while: "cannot reach the cluster at \(connection.bootstrapServers.joined(separator: ","))")
        }
        var counts: [String: Int] = [:]
        for name in topics {
            guard let topic = metadata.topic(named: name), topic.error == nil, !topic.partitions.isEmpty else {
                throw CLIFailure("unknown topic '\(name)'")
            }
            if let partition, !topic.partitions.contains(where: { $0.id == partition }) {
                throw CLIFailure("topic '\(name)' has no partition \(partition) (it has \(topic.partitions.count))")
            }
            counts[name] = topic.partitions.count
        }
        return counts
    }
}
