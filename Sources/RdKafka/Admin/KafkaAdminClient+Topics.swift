extension KafkaAdminClient {
    /// Creates topics; the answer says, per topic, whether it was created.
    ///
    /// A topic that already exists fails with `topicAlreadyExists` and leaves the others
    /// unaffected.
    public func createTopics(_ topics: [NewTopic], timeout: Duration? = nil) async throws(KafkaError) -> [String: Result<Void, KafkaError>] {
        try AdminValidation.uniqueTopicNames(topics.map(\.name))
        for topic in topics { try AdminValidation.newTopic(topic) }
        if topics.isEmpty { return [:] }
        return try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.createTopics(client: client, topics, timeout: timeout)
        }
    }

    /// Creates one topic, throwing its error.
    public func createTopic(_ topic: NewTopic, timeout: Duration? = nil) async throws(KafkaError) {
        try await createTopics([topic], timeout: timeout).single(topic.name)
    }

    /// Deletes topics and all their records; the answer is per topic.
    public func deleteTopics(_ names: [String], timeout: Duration? = nil) async throws(KafkaError) -> [String: Result<Void, KafkaError>] {
        try AdminValidation.uniqueTopicNames(names)
        if names.isEmpty { return [:] }
        return try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.deleteTopics(client: client, names, timeout: timeout)
        }
    }

    /// Deletes one topic, throwing its error.
    public func deleteTopic(_ name: String, timeout: Duration? = nil) async throws(KafkaError) {
        try await deleteTopics([name], timeout: timeout).single(name)
    }

    /// Grows topics to the given total partition counts (partitions cannot be removed).
    ///
    /// Keyed records map to partitions by the partition count, so growing a topic moves
    /// where new records of an existing key go.
    public func createPartitions(_ totalCounts: [String: Int], timeout: Duration? = nil) async throws(KafkaError) -> [String: Result<Void, KafkaError>] {
        try AdminValidation.uniqueTopicNames(Array(totalCounts.keys))
        for (topic, count) in totalCounts where count <= 0 {
            throw AdminValidation.invalid("topic '\(topic)' needs at least one partition (got \(count))", topic: topic)
        }
        if totalCounts.isEmpty { return [:] }
        return try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.createPartitions(client: client, totalCounts, timeout: timeout)
        }
    }

    /// The configuration of topics or brokers, per resource, keyed by property name.
    public func describeConfigs(_ resources: [ConfigResource], timeout: Duration? = nil) async throws(KafkaError) -> [ConfigResource: Result<[String: ConfigEntry], KafkaError>] {
        for resource in resources { try AdminValidation.configResource(resource) }
        if resources.isEmpty { return [:] }
        return try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.describeConfigs(client: client, resources, timeout: timeout)
        }
    }

    /// Sets configuration values, per resource.
    ///
    /// This is Kafka's non-incremental AlterConfigs: for each resource, properties not named
    /// here return to their defaults. Read the current values with ``describeConfigs(_:timeout:)``
    /// and send the full set when you mean to change one.
    public func alterConfigs(_ changes: [ConfigResource: [String: String]], timeout: Duration? = nil) async throws(KafkaError) -> [ConfigResource: Result<Void, KafkaError>] {
        for (resource, values) in changes {
            try AdminValidation.configResource(resource)
            if values.keys.contains("") {
                throw AdminValidation.invalid("\(resource) has a configuration entry with an empty name")
            }
        }
        if changes.isEmpty { return [:] }
        return try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.alterConfigs(client: client, changes, timeout: timeout)
        }
    }
}

extension Dictionary where Key == String, Value == Result<Void, KafkaError> {
    /// The outcome for `name` in a one-item batch.
    func single(_ name: String) throws(KafkaError) {
        guard let result = self[name] else {
            throw KafkaError(code: .failure, message: "the cluster's answer did not mention '\(name)'", topic: name)
        }
        try result.get()
    }
}
