/// The checks an admin request passes before anything is sent, so a typo fails at once with
/// a typed `invalidArgument` error instead of as a broker error after a round trip.
enum AdminValidation {
    static func topicName(_ name: String) throws(KafkaError) {
        if name.isEmpty {
            throw invalid("a topic name is empty")
        }
        if name.count > 249 {
            throw invalid("topic name '\(name.prefix(20))…' is longer than 249 characters", topic: name)
        }
        if name == "." || name == ".." {
            throw invalid("'\(name)' is not a valid topic name", topic: name)
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "." || scalar == "_" || scalar == "-"
        }
        if !allowed {
            throw invalid("topic name '\(name)' may only contain ASCII letters, digits, '.', '_' and '-'", topic: name)
        }
    }

    static func uniqueTopicNames(_ names: [String]) throws(KafkaError) {
        var seen = Set<String>()
        for name in names {
            try topicName(name)
            if !seen.insert(name).inserted {
                throw invalid("topic '\(name)' appears twice in one request", topic: name)
            }
        }
    }

    static func newTopic(_ topic: NewTopic) throws(KafkaError) {
        if let partitions = topic.partitions, partitions <= 0 {
            throw invalid("topic '\(topic.name)' needs at least one partition (got \(partitions))", topic: topic.name)
        }
        if let replicationFactor = topic.replicationFactor, replicationFactor <= 0 {
            throw invalid("topic '\(topic.name)' needs a replication factor of at least 1 (got \(replicationFactor))", topic: topic.name)
        }
        if topic.configs.keys.contains("") {
            throw invalid("topic '\(topic.name)' has a configuration entry with an empty name", topic: topic.name)
        }
    }

    static func groupID(_ group: String) throws(KafkaError) {
        if group.isEmpty { throw invalid("a consumer group id is empty") }
    }

    static func partitions(_ partitions: some Sequence<TopicPartition>) throws(KafkaError) {
        for partition in partitions {
            try topicName(partition.topic)
            if partition.partition < 0 {
                throw invalid("partition \(partition.partition) of '\(partition.topic)' is negative", topic: partition.topic)
            }
        }
    }

    static func offsets(_ offsets: [TopicPartition: Int64]) throws(KafkaError) {
        try partitions(offsets.keys)
        for (partition, offset) in offsets where offset < 0 {
            throw KafkaError(
                code: .invalidArgument,
                message: "offset \(offset) for \(partition) is negative",
                topic: partition.topic,
                partition: partition.partition,
                offset: offset
            )
        }
    }

    static func configResource(_ resource: ConfigResource) throws(KafkaError) {
        switch resource.kind {
        case .topic:
            try topicName(resource.name)
        case .broker:
            guard let id = Int32(resource.name), id >= 0 else {
                throw invalid("broker '\(resource.name)' is not a broker id")
            }
        }
    }

    static func timeout(_ timeout: Duration) throws(KafkaError) {
        if timeout <= .zero { throw invalid("the timeout must be positive (got \(timeout))") }
    }

    static func invalid(_ message: String, topic: String? = nil) -> KafkaError {
        KafkaError(code: .invalidArgument, message: message, topic: topic)
    }
}
