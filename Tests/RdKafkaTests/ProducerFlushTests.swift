import RdKafka
import Synchronization
import Testing

@Suite("Producer: flush")
struct ProducerFlushTests {
    @Test("flush sends lingering batches at once: every record reported when it returns, none waits out linger.ms")
    func flushSendsLingeringBatches() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(partitions: 2, keySerializer: .bytes, valueSerializer: .string) {
            // Far longer than the flush may take: without flushing, the batches would wait for it.
            $0.linger = .seconds(120)
        }
        let results = Mutex<[Result<RecordMetadata, KafkaError>]>([])
        for index in 0..<100 {
            try producer.send(ProducerRecord(topic: topic, value: "record-\(index)")) { result in
                results.withLock { $0.append(result) }
            }
        }
        try await producer.flush(timeout: .seconds(20))
        // flush's contract: when it returns, every record sent before has been reported.
        let reported = results.withLock { $0 }
        #expect(reported.count == 100)
        #expect(reported.allSatisfy { (try? $0.get()) != nil })
        #expect(producer.outstandingRecordCount == 0)
        // An empty flush returns at once, and the producer keeps working after a flush.
        try await producer.flush(timeout: .seconds(20))
        try producer.sendAndForget(ProducerRecord(topic: topic, value: "after"))
        try await producer.flush(timeout: .seconds(20))
        await producer.close()
        let records = try RawConsumer.readAll(topic: topic, count: 101, bootstrapServers: cluster.bootstrapServers)
        #expect(Set(records.map { String(decoding: $0.value ?? [], as: UTF8.self) }) == Set((0..<100).map { "record-\($0)" } + ["after"]))
    }

    @Test("a flush that cannot finish throws timedOut; the records stay queued and are delivered later")
    func flushTimesOut() async throws {
        let cluster = try TestCluster.make()
        let embedded = try cluster.requireEmbedded()
        let topic = try cluster.createTopic(partitions: 1)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .bytes, valueSerializer: .string)
        try await producer.send(ProducerRecord(topic: topic, value: "first"))
        try embedded.setBrokerDown(1)
        let pending = try await producer.enqueue(ProducerRecord(topic: topic, value: "second"))
        let error = await #expect(throws: KafkaError.self) { try await producer.flush(timeout: .milliseconds(300)) }
        #expect(error?.code == .timedOut)
        #expect(!pending.isComplete)
        try embedded.setBrokerUp(1)
        #expect(try await pending.metadata.offset == 1)
        await producer.close()
    }
}
