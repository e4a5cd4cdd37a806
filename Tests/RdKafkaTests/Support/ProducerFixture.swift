import RdKafka

extension TestCluster {
    /// The set-up most end-to-end producer tests start with: a cluster (``make(brokers:)``),
    /// a fresh topic of `partitions` partitions on it, and a producer configured by
    /// ``producerConfiguration(acks:)`` plus whatever `configure` changes.
    static func makeWithProducer<Key, Value>(
        partitions: Int = 1,
        keySerializer: some Serializer<Key>,
        valueSerializer: some Serializer<Value>,
        configure: (inout ProducerConfiguration) -> Void = { _ in }
    ) throws -> (cluster: TestCluster, topic: String, producer: KafkaProducer<Key, Value>) {
        let cluster = try make()
        let topic = try cluster.createTopic(partitions: partitions)
        var configuration = cluster.producerConfiguration()
        configure(&configuration)
        let producer = try KafkaProducer(configuration: configuration, keySerializer: keySerializer, valueSerializer: valueSerializer)
        return (cluster, topic, producer)
    }
}
