import Foundation
import RdKafka
import Testing

/// Java's `partitionsFor` on the producer and consumer, and the consumer's `listTopics`.
@Suite("Clients: partitionsFor and listTopics")
struct ClientMetadataTests {
    @Test("partitionsFor answers each partition with its leader and replicas, on the producer and the consumer alike")
    func partitionsFor() async throws {
        let cluster = try TestCluster.make(brokers: 3)
        let replication = min(3, try cluster.brokerCount())
        let topic = try cluster.createTopic("partitions-for", partitions: 4, replicationFactor: replication)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .string)
        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        let fromProducer = try await producer.partitionsFor(topic)
        let fromConsumer = try await consumer.partitionsFor(topic)
        #expect(fromProducer.map(\.id) == [0, 1, 2, 3])
        #expect(fromConsumer.map(\.id) == fromProducer.map(\.id))
        #expect(fromConsumer.map(\.leader) == fromProducer.map(\.leader))
        for partition in fromProducer {
            #expect(partition.replicas.count == replication)
            #expect(partition.replicas.contains(partition.leader))
        }
        #expect(try producer.partitionCount(of: topic) == 4)

        let listed = try await consumer.listTopics()
        #expect(listed[topic]?.count == 4)
        #expect(!listed.keys.contains { $0.hasPrefix("__") }, "internal topics are left out")

        // librdkafka 2.0.2's mock creates any topic a metadata request names.
        if TestCluster.isReal {
            let missing = await #expect(throws: KafkaError.self) { try await consumer.partitionsFor("missing-\(UUID().uuidString.prefix(8))") }
            #expect(missing?.code == .unknownTopicOrPartition)
        }
        let illegal = await #expect(throws: KafkaError.self) { try await producer.partitionsFor("no spaces allowed") }
        #expect(illegal?.code == .invalidArgument)

        await producer.close()
        await consumer.close()
        let closed = await #expect(throws: KafkaError.self) { try await consumer.listTopics() }
        #expect(closed?.code == .clientClosed)
    }
}
