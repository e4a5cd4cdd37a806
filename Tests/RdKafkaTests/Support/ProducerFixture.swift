import Foundation
import RdKafka

/// What most end-to-end producer tests start with: a cluster, a fresh topic on it and a
/// producer. The fixture owns the cluster: an embedded cluster ends when its last reference
/// goes, and ``close()`` closes the producer while the fixture, and so the cluster, is
/// certainly still there. A test that ends with `await fixture.close()` keeps its cluster for
/// as long as it sends, with nothing more to remember.
struct ProducerFixture<Key, Value>: Sendable {
    let cluster: TestCluster
    let topic: String
    let producer: KafkaProducer<Key, Value>

    /// Closes the producer (``KafkaProducer/close(timeout:)``), delivering what is queued to
    /// the cluster the fixture keeps until then.
    func close() async {
        await producer.close()
        withExtendedLifetime(cluster) {}
    }
}

extension TestCluster {
    /// The set-up most end-to-end producer tests start with (``ProducerFixture``): a cluster
    /// (``make(brokers:)``), a fresh topic named after `topicPrefix` with `partitions`
    /// partitions on it, and a producer with `interceptors`, configured by
    /// ``producerConfiguration(acks:)`` plus whatever `configure` changes.
    static func makeProducerFixture<Key, Value>(
        topicPrefix: String = "test",
        partitions: Int = 1,
        acks: ProducerConfiguration.Acks = .all,
        keySerializer: some Serializer<Key>,
        valueSerializer: some Serializer<Value>,
        interceptors: [any ProducerInterceptor<Key, Value>] = [],
        configure: (inout ProducerConfiguration) -> Void = { _ in }
    ) throws -> ProducerFixture<Key, Value> {
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
        return ProducerFixture(cluster: cluster, topic: topic, producer: producer)
    }

    /// ``makeProducerFixture(topicPrefix:partitions:acks:keySerializer:valueSerializer:interceptors:configure:)``
    /// with string keys and values, the serializers most tests use.
    static func makeProducerFixture(
        topicPrefix: String = "test",
        partitions: Int = 1,
        acks: ProducerConfiguration.Acks = .all,
        interceptors: [any ProducerInterceptor<String, String>] = [],
        configure: (inout ProducerConfiguration) -> Void = { _ in }
    ) throws -> ProducerFixture<String, String> {
        try makeProducerFixture(
            topicPrefix: topicPrefix,
            partitions: partitions,
            acks: acks,
            keySerializer: .string,
            valueSerializer: .string,
            interceptors: interceptors,
            configure: configure
        )
    }

    /// The same set-up as a tuple, for tests that use the cluster beyond the producer (to read
    /// back, to inject faults) and so keep it themselves for as long as they use the topic.
    static func makeWithProducer<Key, Value>(
        topicPrefix: String = "test",
        partitions: Int = 1,
        acks: ProducerConfiguration.Acks = .all,
        keySerializer: some Serializer<Key>,
        valueSerializer: some Serializer<Value>,
        interceptors: [any ProducerInterceptor<Key, Value>] = [],
        configure: (inout ProducerConfiguration) -> Void = { _ in }
    ) throws -> (cluster: TestCluster, topic: String, producer: KafkaProducer<Key, Value>) {
        let fixture = try makeProducerFixture(
            topicPrefix: topicPrefix,
            partitions: partitions,
            acks: acks,
            keySerializer: keySerializer,
            valueSerializer: valueSerializer,
            interceptors: interceptors,
            configure: configure
        )
        return (fixture.cluster, fixture.topic, fixture.producer)
    }

    /// ``makeWithProducer(topicPrefix:partitions:acks:keySerializer:valueSerializer:interceptors:configure:)``
    /// with string keys and values.
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
