import RdKafka
import Testing

/// docs/getting-started.md's example, kept compiling and running. If this changes, change the guide.
@Suite("Getting-started example")
struct GettingStartedExampleTests {
    struct Order: Codable, Sendable { var id: String; var amount: Int }

    @Test("the guide's producer and consumer run on the embedded cluster")
    func gettingStarted() async throws {
        // 1. A broker.
        let cluster = try EmbeddedKafkaCluster()
        try cluster.createTopic("orders", partitions: 3)

        // 2. Produce ten orders.
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: cluster.bootstrapServers, acks: .all),
            keySerializer: .string,
            valueSerializer: .json(Order.self)
        )
        for number in 1...10 {
            let order = Order(id: "o-\(number)", amount: number * 10)
            let metadata = try await producer.send(ProducerRecord(topic: "orders", key: order.id, value: order))
            print("order \(order.id) stored at \(metadata.topic)-\(metadata.partition)@\(metadata.offset)")
        }
        await producer.close()

        // 3. Consume them in a consumer group.
        var configuration = ConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers,
            groupID: "billing",
            autoOffsetReset: .earliest,
            enableAutoCommit: false
        )
        configuration.sessionTimeout = .seconds(6)
        let consumer = try KafkaConsumer(configuration: configuration, keyDeserializer: .string, valueDeserializer: .json(Order.self))
        try consumer.subscribe(topics: ["orders"])
        var total = 0
        var count = 0
        for try await record in consumer.records {
            total += record.value.amount
            count += 1
            if count == 10 { break }
        }
        try await consumer.commit()
        await consumer.close()
        print("billed \(count) orders, \(total) in total")

        #expect(count == 10)
        #expect(total == 550)
    }
}
