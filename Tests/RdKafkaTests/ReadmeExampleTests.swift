import RdKafka
import Testing

/// The README's producer example, kept compiling and running. If this changes, change the README.
@Suite("README example")
struct ReadmeExampleTests {
    struct Order: Codable, Sendable { var id: String; var amount: Int }

    @Test("the README's producer example runs on the embedded cluster")
    func readmeProducerExample() async throws {
        let cluster = try EmbeddedKafkaCluster()          // or your brokers' host:port list
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: cluster.bootstrapServers, acks: .all),
            keySerializer: .string,
            valueSerializer: .json(Order.self)
        )
        let order = Order(id: "o-1", amount: 42)
        let metadata = try await producer.send(ProducerRecord(topic: "orders", key: order.id, value: order))
        print("stored at \(metadata.topic)-\(metadata.partition)@\(metadata.offset)")
        await producer.close()

        #expect(metadata.topic == "orders")
        #expect(metadata.offset == 0)
    }
}
