import CRdKafka

/// An owned `rd_kafka_conf_t` being filled in before a client is created.
///
/// Every property goes through `rd_kafka_conf_set`, so librdkafka's own validation runs at
/// construction and its refusal becomes a ``KafkaError`` that names the property.
final class NativeConfiguration {
    let pointer: OpaquePointer
    private var owned = true

    init() {
        pointer = rd_kafka_conf_new()
    }

    /// Applies `properties` in a stable order so that the first error reported is deterministic.
    func set(_ properties: [String: String]) throws(KafkaError) {
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            try set(name, value)
        }
    }

    func set(_ name: String, _ value: String) throws(KafkaError) {
        // C strings end at the first NUL: librdkafka would silently see a shorter value.
        if name.utf8.contains(0) || value.utf8.contains(0) {
            throw KafkaError(
                code: .invalidConfiguration,
                message: "configuration property '\(name.replacingOccurrences(of: "\0", with: "\\0"))' contains a NUL character",
                property: name
            )
        }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(pointer, name, value, &errorBuffer, errorBuffer.count)
        guard result == RD_KAFKA_CONF_OK else {
            let detail = String(cBuffer: errorBuffer)
            let what = result == RD_KAFKA_CONF_UNKNOWN ? "unknown configuration property" : "invalid value"
            throw KafkaError(
                code: .invalidConfiguration,
                message: "\(what) for '\(name)': \(detail)",
                property: name
            )
        }
    }

    /// The default topic configuration, which librdkafka takes over.
    func setDefaultTopicConfiguration(_ topicConfiguration: NativeTopicConfiguration) {
        rd_kafka_conf_set_default_topic_conf(pointer, topicConfiguration.pointer)
        topicConfiguration.didTransferOwnership()
    }

    /// Asks librdkafka for the value it would use, e.g. to read back a default.
    func get(_ name: String) -> String? {
        var size = 0
        guard rd_kafka_conf_get(pointer, name, nil, &size) == RD_KAFKA_CONF_OK else { return nil }
        var buffer = [CChar](repeating: 0, count: size + 1)
        guard rd_kafka_conf_get(pointer, name, &buffer, &size) == RD_KAFKA_CONF_OK else { return nil }
        return String(cBuffer: buffer)
    }

    func enableEvents(_ events: Int32) {
        rd_kafka_conf_set_events(pointer, events)
    }

    /// Called once `rd_kafka_new` succeeded: the client now owns the configuration.
    func didTransferOwnership() { owned = false }

    deinit {
        if owned { rd_kafka_conf_destroy(pointer) }
    }
}

/// An owned `rd_kafka_topic_conf_t`, used for the default topic configuration (partitioner).
final class NativeTopicConfiguration {
    let pointer: OpaquePointer
    private var owned = true

    init() {
        pointer = rd_kafka_topic_conf_new()
    }

    func set(_ name: String, _ value: String) throws(KafkaError) {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        guard rd_kafka_topic_conf_set(pointer, name, value, &errorBuffer, errorBuffer.count) == RD_KAFKA_CONF_OK else {
            throw KafkaError(
                code: .invalidConfiguration,
                message: "invalid value for '\(name)': \(String(cBuffer: errorBuffer))",
                property: name
            )
        }
    }

    func didTransferOwnership() { owned = false }

    deinit {
        if owned { rd_kafka_topic_conf_destroy(pointer) }
    }
}
