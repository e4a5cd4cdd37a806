import RdKafka
import Synchronization
import Testing

@Suite("Producer: close and release with records in flight")
struct ProducerCloseTests {
    @Test("close delivers what is queued before it returns")
    func closeFlushes() async throws {
        let fixture = try TestCluster.makeProducerFixture(keySerializer: .bytes, valueSerializer: .string) { configuration in
            configuration.linger = .milliseconds(50)
        }
        let (topic, producer) = (fixture.topic, fixture.producer)
        let delivered = Atomic<Int>(0)
        for index in 0..<500 {
            try producer.send(ProducerRecord(topic: topic, value: "r\(index)")) { result in
                if case .success = result { delivered.add(1, ordering: .relaxed) }
            }
        }
        await fixture.close()
        #expect(delivered.load(ordering: .relaxed) == 500)
    }

    @Test("close with records that cannot be delivered in time: each is reported failed, none vanish")
    func closeWithUndeliverable() async throws {
        let cluster = try TestCluster.make()
        let embedded = try cluster.requireEmbedded()
        let topic = try cluster.createTopic()
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .bytes, valueSerializer: .string)
        try await producer.send(ProducerRecord(topic: topic, value: "warm-up"))
        try embedded.setBrokerDown(1)
        var pending: [PendingDelivery] = []
        for index in 0..<200 {
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, value: "r\(index)")))
        }
        await producer.close(timeout: .milliseconds(300))
        var failures = 0
        for delivery in pending {
            #expect(delivery.isComplete, "close reported every record before returning")
            if case .failure(let error) = await delivery.result {
                failures += 1
                #expect([.purgedFromQueue, .purgedInFlight, .messageTimedOut].contains(error.code))
            }
        }
        #expect(failures == 200)
    }

    @Test("releasing a producer without close reports every in-flight record and does not crash")
    func dropWithoutClose() async throws {
        let cluster = try TestCluster.make()
        let embedded = try cluster.requireEmbedded()
        let topic = try cluster.createTopic()
        try embedded.setRoundTripTime(.seconds(5), broker: 1)
        let results = Guarded<[Result<RecordMetadata, KafkaError>]>([])
        do {
            let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .bytes, valueSerializer: .string)
            for index in 0..<100 {
                try producer.send(ProducerRecord(topic: topic, value: "r\(index)")) { result in
                    results.withLock { $0.append(result) }
                }
            }
        }
        // deinit purged the queue and waited for the purge reports.
        #expect(results.withLock { $0.count } == 100)
        #expect(results.withLock { $0.allSatisfy { if case .failure = $0 { true } else { false } } })
    }
}
