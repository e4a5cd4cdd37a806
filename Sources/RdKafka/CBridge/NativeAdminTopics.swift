import CRdKafka

/// Topic, partition and configuration admin requests.
extension NativeAdmin {
    static func createTopics(client: OpaquePointer, _ topics: [NewTopic], timeout: Duration) async -> Result<[String: Result<Void, KafkaError>], KafkaError> {
        var handles: [OpaquePointer?] = []
        defer { for handle in handles { rd_kafka_NewTopic_destroy(handle) } }
        for topic in topics {
            var errors = [CChar](repeating: 0, count: 512)
            guard let handle = rd_kafka_NewTopic_new(topic.name, Int32(clamping: topic.partitions ?? -1), Int32(clamping: topic.replicationFactor ?? -1), &errors, errors.count) else {
                return .failure(KafkaError(code: .invalidArgument, message: "topic '\(topic.name)': \(String(cBuffer: errors))", topic: topic.name))
            }
            handles.append(handle)
            for (name, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                let code = rd_kafka_NewTopic_set_config(handle, name, value)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                    return .failure(NativeErrors.error(code, context: "topic '\(topic.name)' config '\(name)'", topic: topic.name))
                }
            }
        }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout: timeout, operationTimeout: true) { options, queue in
            rd_kafka_CreateTopics(client, &handles, handles.count, options, queue)
        } parse: { event in
            var count = 0
            let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
            return .success(topicResults(results, count: count))
        }
    }

    static func deleteTopics(client: OpaquePointer, _ names: [String], timeout: Duration) async -> Result<[String: Result<Void, KafkaError>], KafkaError> {
        var handles: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
        defer { for handle in handles { rd_kafka_DeleteTopic_destroy(handle) } }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_DELETETOPICS, timeout: timeout, operationTimeout: true) { options, queue in
            rd_kafka_DeleteTopics(client, &handles, handles.count, options, queue)
        } parse: { event in
            var count = 0
            let results = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event), &count)
            return .success(topicResults(results, count: count))
        }
    }

    static func createPartitions(client: OpaquePointer, _ totals: [String: Int], timeout: Duration) async -> Result<[String: Result<Void, KafkaError>], KafkaError> {
        var handles: [OpaquePointer?] = []
        defer { for handle in handles { rd_kafka_NewPartitions_destroy(handle) } }
        for (topic, total) in totals.sorted(by: { $0.key < $1.key }) {
            var errors = [CChar](repeating: 0, count: 512)
            guard let handle = rd_kafka_NewPartitions_new(topic, total, &errors, errors.count) else {
                return .failure(KafkaError(code: .invalidArgument, message: "topic '\(topic)': \(String(cBuffer: errors))", topic: topic))
            }
            handles.append(handle)
        }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, timeout: timeout, operationTimeout: true) { options, queue in
            rd_kafka_CreatePartitions(client, &handles, handles.count, options, queue)
        } parse: { event in
            var count = 0
            let results = rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(event), &count)
            return .success(topicResults(results, count: count))
        }
    }

    static func describeConfigs(client: OpaquePointer, _ resources: [ConfigResource], timeout: Duration) async -> Result<[ConfigResource: Result<[String: ConfigEntry], KafkaError>], KafkaError> {
        var handles: [OpaquePointer?] = resources.map { rd_kafka_ConfigResource_new(resourceType($0.kind), $0.name) }
        defer { for handle in handles { rd_kafka_ConfigResource_destroy(handle) } }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout: timeout) { options, queue in
            rd_kafka_DescribeConfigs(client, &handles, handles.count, options, queue)
        } parse: { event in
            var count = 0
            let results = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(event), &count)
            var outcome: [ConfigResource: Result<[String: ConfigEntry], KafkaError>] = [:]
            for result in elements(results, count: count) {
                let resource = configResource(result)
                if let error = configError(result, resource: resource) {
                    outcome[resource] = .failure(error)
                    continue
                }
                var entryCount = 0
                let entries = rd_kafka_ConfigResource_configs(result, &entryCount)
                var values: [String: ConfigEntry] = [:]
                for entry in elements(entries, count: entryCount) {
                    let name = String(nativeCString: rd_kafka_ConfigEntry_name(entry))
                    values[name] = ConfigEntry(
                        name: name,
                        value: rd_kafka_ConfigEntry_value(entry).map { String(cString: $0) },
                        source: source(rd_kafka_ConfigEntry_source(entry)),
                        isReadOnly: rd_kafka_ConfigEntry_is_read_only(entry) != 0,
                        isDefault: rd_kafka_ConfigEntry_is_default(entry) != 0,
                        isSensitive: rd_kafka_ConfigEntry_is_sensitive(entry) != 0
                    )
                }
                outcome[resource] = .success(values)
            }
            return .success(outcome)
        }
    }

    static func alterConfigs(client: OpaquePointer, _ changes: [ConfigResource: [String: String]], timeout: Duration) async -> Result<[ConfigResource: Result<Void, KafkaError>], KafkaError> {
        var handles: [OpaquePointer?] = []
        defer { for handle in handles { rd_kafka_ConfigResource_destroy(handle) } }
        for (resource, values) in changes {
            let handle = rd_kafka_ConfigResource_new(resourceType(resource.kind), resource.name)
            handles.append(handle)
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                let code = rd_kafka_ConfigResource_set_config(handle, name, value)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                    return .failure(NativeErrors.error(code, context: "\(resource) config '\(name)'"))
                }
            }
        }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_ALTERCONFIGS, timeout: timeout) { options, queue in
            rd_kafka_AlterConfigs(client, &handles, handles.count, options, queue)
        } parse: { event in
            var count = 0
            let results = rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(event), &count)
            var outcome: [ConfigResource: Result<Void, KafkaError>] = [:]
            for result in elements(results, count: count) {
                let resource = configResource(result)
                outcome[resource] = configError(result, resource: resource).map { .failure($0) } ?? .success(())
            }
            return .success(outcome)
        }
    }

    private static func resourceType(_ kind: ConfigResource.Kind) -> rd_kafka_ResourceType_t {
        kind == .topic ? RD_KAFKA_RESOURCE_TOPIC : RD_KAFKA_RESOURCE_BROKER
    }

    private static func configResource(_ result: OpaquePointer) -> ConfigResource {
        let kind: ConfigResource.Kind = rd_kafka_ConfigResource_type(result) == RD_KAFKA_RESOURCE_TOPIC ? .topic : .broker
        return ConfigResource(kind: kind, name: String(nativeCString: rd_kafka_ConfigResource_name(result)))
    }

    private static func configError(_ result: OpaquePointer, resource: ConfigResource) -> KafkaError? {
        let code = rd_kafka_ConfigResource_error(result)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let text = rd_kafka_ConfigResource_error_string(result).map { String(cString: $0) } ?? NativeErrors.message(of: code.rawValue)
        return KafkaError(code: KafkaError.Code(rawValue: code.rawValue), message: "\(resource): \(text)", topic: resource.kind == .topic ? resource.name : nil)
    }

    private static func source(_ source: rd_kafka_ConfigSource_t) -> ConfigEntry.Source {
        switch source {
        case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG: return .dynamicTopic
        case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG: return .dynamicBroker
        case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG: return .dynamicDefaultBroker
        case RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG: return .staticBroker
        case RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG: return .defaultConfig
        default: return .unknown
        }
    }
}
