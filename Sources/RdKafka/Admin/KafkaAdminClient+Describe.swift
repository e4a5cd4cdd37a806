extension KafkaAdminClient {
    /// The cluster's id, controller and brokers.
    public func describeCluster(timeout: Duration? = nil) async throws(KafkaError) -> ClusterDescription {
        let deadline = ContinuousClock.now + (timeout ?? defaultTimeout)
        let metadata = try await metadata(timeout: try remaining(until: deadline, what: "the cluster's description"))
        let identity = try await run(timeout: try remaining(until: deadline, what: "the cluster's description")) { client, timeout in
            .success(await NativeAdmin.clusterIdentity(client: client, timeout: timeout))
        }
        return ClusterDescription(clusterID: identity.clusterID, controllerID: identity.controllerID, brokers: metadata.brokers)
    }

    /// Each topic's partitions (leaders, replicas, in-sync replicas) and, with
    /// `includeConfigs`, its configuration. A topic that does not exist answers
    /// `unknownTopicOrPartition` in its own result.
    public func describeTopics(
        _ topics: [String],
        includeConfigs: Bool = true,
        timeout: Duration? = nil
    ) async throws(KafkaError) -> [String: Result<TopicDescription, KafkaError>] {
        if topics.isEmpty { return [:] }
        let deadline = ContinuousClock.now + (timeout ?? defaultTimeout)
        let metadata = try await metadata(topics: topics, timeout: try remaining(until: deadline, what: "the topics' descriptions"))
        var configs: [ConfigResource: Result<[String: ConfigEntry], KafkaError>] = [:]
        let found = metadata.topics.filter { $0.error == nil }.map(\.name)
        if includeConfigs, !found.isEmpty {
            configs = try await describeConfigs(
                found.map { ConfigResource(kind: .topic, name: $0) },
                timeout: try remaining(until: deadline, what: "the topics' descriptions")
            )
        }
        var outcome: [String: Result<TopicDescription, KafkaError>] = [:]
        for name in topics {
            guard let topic = metadata.topic(named: name) else {
                outcome[name] = .failure(KafkaError(code: .unknownTopicOrPartition, message: "topic '\(name)' is not in the cluster's metadata", topic: name))
                continue
            }
            if let error = topic.error {
                outcome[name] = .failure(error)
                continue
            }
            var entries: [String: ConfigEntry] = [:]
            if includeConfigs {
                switch configs[ConfigResource(kind: .topic, name: name)] {
                case .success(let values): entries = values
                case .failure(let error): outcome[name] = .failure(error); continue
                case nil: break
                }
            }
            outcome[name] = .success(TopicDescription(name: name, partitions: topic.partitions.sorted { $0.id < $1.id }, configs: entries))
        }
        return outcome
    }

    /// The offset each partition has for its ``OffsetSpec``, per partition; `nil` for a
    /// timestamp after the partition's last record.
    public func listOffsets(
        _ specs: [TopicPartition: OffsetSpec],
        timeout: Duration? = nil
    ) async throws(KafkaError) -> [TopicPartition: Result<Int64?, KafkaError>] {
        try AdminValidation.partitions(Array(specs.keys))
        let deadline = ContinuousClock.now + (timeout ?? defaultTimeout)
        var outcome: [TopicPartition: Result<Int64?, KafkaError>] = [:]
        var timestamps: [TopicPartition: Int64] = [:]
        var bounds: [TopicPartition] = []
        for (partition, spec) in specs {
            switch spec {
            case .earliest, .latest: bounds.append(partition)
            case .timestamp(let time): timestamps[partition] = time.millisecondsSinceEpoch
            }
        }
        if !bounds.isEmpty {
            let marks = try await watermarks(of: bounds, timeout: try remaining(until: deadline, what: "the offsets"))
            for partition in bounds {
                let result = marks[partition] ?? .failure(KafkaError(code: .unknownPartition, message: "no answer for \(partition)", topic: partition.topic, partition: partition.partition))
                outcome[partition] = result.map { specs[partition] == .earliest ? $0.low : $0.high }
            }
        }
        if !timestamps.isEmpty {
            let found = try await run(timeout: try remaining(until: deadline, what: "the offsets")) { client, timeout in
                await NativeAdmin.offsetsForTimes(client: client, timestamps, timeout: timeout)
            }
            for partition in timestamps.keys {
                let result = found[partition] ?? .failure(KafkaError(code: .unknownPartition, message: "no answer for \(partition)", topic: partition.topic, partition: partition.partition))
                outcome[partition] = result.map { $0 >= 0 ? $0 : nil }
            }
        }
        return outcome
    }

    /// Deletes the group's committed offsets of `partitions` (Java's
    /// `deleteConsumerGroupOffsets`); the group must have no member reading them.
    public func deleteConsumerGroupOffsets(
        _ group: String,
        partitions: [TopicPartition],
        timeout: Duration? = nil
    ) async throws(KafkaError) -> [TopicPartition: Result<Void, KafkaError>] {
        try AdminValidation.groupID(group)
        try AdminValidation.partitions(partitions)
        if partitions.isEmpty { return [:] }
        let deleted = try await run(timeout: timeout) { client, timeout in
            await NativeAdmin.deleteConsumerGroupOffsets(client: client, group: group, partitions: partitions, timeout: timeout)
        }
        return deleted.mapValues { $0.map { _ in () } }
    }

    private func remaining(until deadline: ContinuousClock.Instant, what: String) throws(KafkaError) -> Duration {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { throw KafkaError(code: .timedOut, message: "\(what) were not known in time") }
        return left
    }
}
