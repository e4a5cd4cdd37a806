import RdKafka
import Testing

/// The README's producer example, kept compiling and running. If this changes, change the README.
@Suite("README example")
struct ReadmeExampleTests {
    struct Order: Codable, Sendable { var id: String; var amount: Int }

    @Test("the README's example runs on the embedded cluster")
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

        let consumer = try KafkaConsumer(
            configuration: .init(bootstrapServers: cluster.bootstrapServers, groupID: "billing", autoOffsetReset: .earliest),
            keyDeserializer: .string,
            valueDeserializer: .json(Order.self)
        )
        try consumer.subscribe(topics: ["orders"])
        var consumed: Order?
        for try await record in consumer.records {
            print("order \(record.value.id): \(record.value.amount)")
            consumed = record.value
            break
        }
        await consumer.close()

        #expect(metadata.topic == "orders")
        #expect(metadata.offset == 0)
        #expect(consumed?.id == "o-1")
        #expect(consumed?.amount == 42)
    }
}
