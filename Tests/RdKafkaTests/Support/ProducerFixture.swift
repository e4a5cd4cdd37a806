import Foundation
import RdKafka

extension TestCluster {
    /// The set-up most end-to-end producer tests start with: a cluster (``make(brokers:)``),
    /// a fresh topic named after `topicPrefix` with `partitions` partitions on it, and a
    /// producer with `interceptors`, configured by ``producerConfiguration(acks:)`` plus
    /// whatever `configure` changes. The caller keeps the returned cluster for as long as it
    /// uses the topic: an embedded cluster ends when its last reference goes, so a test with
    /// no other use for it ends with `withExtendedLifetime(cluster) {}`.
    static func makeWithProducer<Key, Value>(
        topicPrefix: String = "test",
        partitions: Int = 1,
        acks: ProducerConfiguration.Acks = .all,
        keySerializer: some Serializer<Key>,
        valueSerializer: some Serializer<Value>,
        interceptors: [any ProducerInterceptor<Key, Value>] = [],
        configure: (inout ProducerConfiguration) -> Void = { _ in }
    ) throws -> (cluster: TestCluster, topic: String, producer: KafkaProducer<Key, Value>) {
        let cluster = try make()
        let topic = try cluster.createTopic(topicPrefix, partitions: partitions)
        var configuration = cluster.producerConfiguration(acks: acks)
        configure(&configuration)
        let producer = try KafkaProducer(
            configuration: configuration,
            keySerializer: keySerializer,
            valueSerializer: valueSerializer,
            interceptors: interceptors
        )
        return (cluster, topic, producer)
    }

    /// ``makeWithProducer(topicPrefix:partitions:acks:keySerializer:valueSerializer:interceptors:configure:)``
    /// with string keys and values, the serializers most tests use.
    static func makeWithProducer(
        topicPrefix: String = "test",
        partitions: Int = 1,
        acks: ProducerConfiguration.Acks = .all,
        interceptors: [any ProducerInterceptor<String, String>] = [],
        configure: (inout ProducerConfiguration) -> Void = { _ in }
    ) throws -> (cluster: TestCluster, topic: String, producer: KafkaProducer<String, String>) {
        try makeWithProducer(
            topicPrefix: topicPrefix,
            partitions: partitions,
            acks: acks,
            keySerializer: .string,
            valueSerializer: .string,
            interceptors: interceptors,
            configure: configure
        )
    }
}

extension TestCluster {
    /// A string producer with a transactional ID of its own unless given one (two producers
    /// sharing an ID fence each other), configured by ``producerConfiguration(acks:)``.
    func transactionalProducer(
        transactionalID: String = "tx-\(UUID().uuidString.prefix(8))",
        onError: (@Sendable (KafkaError) -> Void)? = nil
    ) throws -> KafkaProducer<String, String> {
        var configuration = producerConfiguration()
        configuration.transactionalID = transactionalID
        configuration.onError = onError
        return try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string)
    }
}
