import RdKafka
import Synchronization
import Testing

@Suite("Producer: backpressure and faults")
struct ProducerBackpressureTests {
    private func tinyQueueConfiguration(_ cluster: TestCluster) -> ProducerConfiguration {
        var configuration = cluster.producerConfiguration()
        configuration.maxQueuedRecords = 100
        configuration.linger = .milliseconds(2)
        return configuration
    }

    @Test("a tiny queue and 50 000 async sends: all complete, none fail with queueFull")
    func tinyQueueAsync() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 2)
        let producer = try KafkaProducer(configuration: tinyQueueConfiguration(cluster), keySerializer: .bytes, valueSerializer: .int32)
        // 50 concurrent senders of 1 000 records each keep the 100-record queue full.
        let delivered = try await withThrowingTaskGroup(of: Int.self) { group in
            for sender in Int32(0)..<50 {
                group.addTask {
                    for index in Int32(0)..<1000 {
                        try await producer.send(ProducerRecord(topic: topic, value: sender * 1000 + index))
                    }
                    return 1000
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(delivered == 50_000)
        await producer.close()
    }

    @Test("a tiny queue and 50 000 pipelined enqueues from one task: all delivered")
    func tinyQueuePipelined() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 2)
        let producer = try KafkaProducer(configuration: tinyQueueConfiguration(cluster), keySerializer: .bytes, valueSerializer: .int32)
        var pending: [PendingDelivery] = []
        for index in Int32(0)..<50_000 {
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, value: index)))
        }
        for delivery in pending { _ = try await delivery.metadata }
        await producer.close()
    }

    @Test("blocking sends wait for room; with .fail they throw queueFull at once")
    func blockingAndFailingSends() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic()
        let blocking = try KafkaProducer(configuration: tinyQueueConfiguration(cluster))
        for index in 0..<5_000 {
            try blocking.sendAndForget(ProducerRecord(topic: topic, value: [UInt8(index % 256)]))
        }
        try await blocking.flush()
        await blocking.close()

        // A broker that takes 2 s per answer keeps the queue full.
        let embedded = try cluster.requireEmbedded()
        try embedded.setRoundTripTime(.seconds(2), broker: 1)
        var configuration = tinyQueueConfiguration(cluster)
        configuration.queueFullBehavior = .fail
        let failing = try KafkaProducer(configuration: configuration)
        let error = #expect(throws: KafkaError.self) {
            for _ in 0..<1_000 { try failing.sendAndForget(ProducerRecord(topic: topic, value: [1])) }
        }
        #expect(error?.code == .queueFull)
        #expect(error?.isRetriable == true)
        try embedded.setRoundTripTime(.zero, broker: 1)
        await failing.close()
    }

    @Test("a send that finds the queue full for longer than maxBlock throws queueFull")
    func maxBlockTimeout() async throws {
        let cluster = try TestCluster.make()
        let embedded = try cluster.requireEmbedded()
        let topic = try cluster.createTopic()
        try embedded.setRoundTripTime(.seconds(3), broker: 1)
        var configuration = tinyQueueConfiguration(cluster)
        configuration.maxBlock = .milliseconds(200)
        let producer = try KafkaProducer(configuration: configuration)
        var pending: [PendingDelivery] = []
        let error = await #expect(throws: KafkaError.self) {
            for _ in 0..<1_000 { pending.append(try await producer.enqueue(ProducerRecord(topic: topic, value: [1]))) }
        }
        #expect(error?.code == .queueFull)
        try embedded.setRoundTripTime(.zero, broker: 1)
        // Nothing accepted is lost: every record that got in is still delivered.
        for delivery in pending { _ = try await delivery.metadata }
        #expect(!pending.isEmpty)
        await producer.close()
    }

    @Test("a broker taken down and brought back: every record is delivered")
    func brokerDownAndUp() async throws {
        let cluster = try TestCluster.make(brokers: 3)
        let embedded = try cluster.requireEmbedded()
        let topic = try cluster.createTopic(partitions: 3, replicationFactor: 3)
        var configuration = cluster.producerConfiguration()
        configuration.deliveryTimeout = .seconds(60)
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .int32)
        var pending: [PendingDelivery] = []
        for index in Int32(0)..<3_000 {
            if index == 1_000 {
                for broker in 1...3 { try embedded.setBrokerDown(broker) }
            }
            if index == 2_000 {
                for broker in 1...3 { try embedded.setBrokerUp(broker) }
            }
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, key: "k\(index % 10)", value: index)))
        }
        var reported: [Int32: [Int64: Int32]] = [:]
        for (index, delivery) in pending.enumerated() {
            let metadata = try await delivery.metadata
            reported[metadata.partition, default: [:]][metadata.offset] = Int32(index)
        }
        await producer.close()
        // Without idempotence a request the broker stored but whose answer was lost when it
        // went down is sent again, so a record may be stored twice (Kafka's at-least-once);
        // its report names the later copy. So the topic holds up to the highest reported
        // offset of each partition, and each record is where its report says.
        let stored = reported.values.reduce(0) { $0 + Int($1.keys.max()! + 1) }
        let records = try RawConsumer.readAll(topic: topic, count: stored, bootstrapServers: cluster.bootstrapServers)
        #expect(records.count == stored)
        var found = 0
        for record in records {
            guard let index = reported[record.partition]?[record.offset] else { continue }
            #expect(Int32(bigEndian: record.value!.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }) == index)
            found += 1
        }
        #expect(found == 3_000, "every record is stored where its delivery report says")
    }
}
