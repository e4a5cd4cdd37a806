import RdKafka
import Testing

/// Java's `producer.metrics()`: the latest statistics, read on demand.
@Suite("Producer: metrics() on demand")
struct ProducerMetricsTests {
    @Test("metrics() answers the latest snapshot, counting what was sent; nil without a statistics interval")
    func metrics() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(topicPrefix: "metrics", partitions: 2) { configuration in
            configuration.statisticsInterval = .milliseconds(100)
            // No onStatistics handler: metrics() alone asks for the snapshots.
        }
        for index in 0..<20 { try await producer.send(ProducerRecord(topic: topic, key: "k\(index)", value: "v\(index)")) }
        try await eventually(timeout: .seconds(10), "a snapshot counting the 20 records") {
            (producer.metrics()?.txMessages ?? 0) >= 20
        }
        let snapshot = try #require(producer.metrics())
        #expect(snapshot.type == .producer)
        #expect(snapshot.name == producer.name)
        #expect(snapshot.topic(named: topic)?.partitions.isEmpty == false)
        #expect(snapshot.brokers.contains { $0.state == "UP" })
        // Later snapshots replace it: the clock in them moves on.
        try await eventually(timeout: .seconds(10), "a newer snapshot") {
            (producer.metrics()?.timestamp ?? 0) > snapshot.timestamp
        }
        await producer.close()

        let quiet = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .string)
        try await quiet.send(ProducerRecord(topic: topic, key: "k", value: "v"))
        #expect(quiet.metrics() == nil)
        await quiet.close()
    }
}
