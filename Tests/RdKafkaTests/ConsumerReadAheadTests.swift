import Foundation
@testable import RdKafka
import Testing

/// The async sequence reads ahead of what it returns; changing where a partition reads drops
/// the records read ahead, so the loop sees exactly what the change asks for.
@Suite("Consumer: the async sequence's read-ahead")
struct ConsumerReadAheadTests {
    /// A subscribed consumer of `topic` whose loop is stopped by a watchdog at the latest.
    private func subscribed(_ cluster: TestCluster, _ topic: String) throws -> KafkaConsumer<String, String> {
        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        try consumer.subscribe(topics: [topic])
        return consumer
    }

    /// A seek waits for librdkafka's fetcher, which on a loaded machine can take longer than
    /// the seek's timeout; the error is retriable and the seek idempotent, so it is retried.
    private func seekRetryingTimeouts(_ consumer: KafkaConsumer<String, String>, _ partition: TopicPartition, to offset: Int64) throws {
        var attempt = 1
        while true {
            do {
                try consumer.seek(partition, to: offset)
                return
            } catch {
                guard error.code == .timedOut, attempt < 3 else { throw error }
                attempt += 1
            }
        }
    }

    private func watchdog(_ consumer: KafkaConsumer<String, String>) -> Task<Void, any Error> {
        Task {
            try await Task.sleep(for: TestDeadline.scaled(.seconds(30)))
            consumer.wakeup()
        }
    }

    @Test("seek during the loop: the next record is the one seeked to, and position counts only records returned")
    func seekDuringIteration() async throws {
        let cluster = try TestCluster.make()
        let topic = try await cluster.topic(withRecords: 600)
        let partition = TopicPartition(topic: topic, partition: 0)
        let consumer = try subscribed(cluster, topic)
        let watchdog = watchdog(consumer)
        defer { watchdog.cancel() }

        var offsets: [Int64] = []
        var iterator = consumer.records.makeAsyncIterator()
        while let record = try await iterator.next() {
            offsets.append(record.offset)
            if offsets.count == 50 {
                // More than 50 are read ahead by now; the position is still the 51st.
                #expect(try consumer.position(partition) == 50)
                try seekRetryingTimeouts(consumer, partition, to: 10)
            } else if offsets.count == 70 {
                try seekRetryingTimeouts(consumer, partition, to: 400)
            } else if offsets.count == 80 {
                break
            }
        }
        let expected = Array(0..<50) + Array(10..<30) + Array(400..<410)
        #expect(offsets == expected.map(Int64.init))
        #expect(try consumer.position(partition) == 410)

        try await consumer.commit()
        #expect(try consumer.committed([partition])[partition] == 410)
        await consumer.close()
    }

    @Test("pause during the loop: nothing more from the partition, and after resume it goes on with the next record")
    func pauseDuringIteration() async throws {
        let cluster = try TestCluster.make()
        // Partition 0 holds records from the start; partition 1 gets its records only once
        // partition 0 is paused, so the loop reads the other partition while it is paused
        // whatever order the broker's fetches come back in.
        let topic = try cluster.createTopic(partitions: 2)
        try await cluster.produce(topic: topic, count: 600)
        let paused = TopicPartition(topic: topic, partition: 0)
        let consumer = try subscribed(cluster, topic)
        let watchdog = watchdog(consumer)
        defer { watchdog.cancel() }

        var lastPaused: Int64 = -1
        var whilePaused = 0
        var resumedAt: Int64?
        for try await record in consumer.records {
            if record.partition == paused.partition {
                if try consumer.paused().contains(paused) {
                    Issue.record("record \(record.offset) of the paused partition returned")
                } else if whilePaused > 0 {
                    resumedAt = record.offset
                    break
                } else {
                    #expect(record.offset == lastPaused + 1)
                    lastPaused = record.offset
                    if lastPaused == 20 {
                        try consumer.pause([paused])
                        try await sendToPartitionOne(cluster, topic, count: 150)
                    }
                }
            } else {
                whilePaused += 1
                if whilePaused == 100 { try consumer.resume([paused]) }
            }
        }
        #expect(lastPaused == 20)
        #expect(whilePaused >= 100)
        #expect(resumedAt == 21, "after resume the partition went on at \(resumedAt.map(String.init) ?? "nothing"), not after the last record returned")
        await consumer.close()
    }

    private func sendToPartitionOne(_ cluster: TestCluster, _ topic: String, count: Int) async throws {
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .string)
        var pending: [PendingDelivery] = []
        for index in 0..<count {
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, partition: 1, key: "p\(index)", value: "p\(index)")))
        }
        for delivery in pending { _ = try await delivery.metadata }
        await producer.close()
    }
}

@Suite("Consumer: read-ahead drops (state machine)")
struct ReadAheadDropsTests {
    let partition = TopicPartition(topic: "t", partition: 0)

    @Test("a request applies to the buffer of the read it was made in")
    func sameRead() {
        var drops = ReadAheadDrops()
        drops.request(.partitions([partition]), generation: 3)
        drops.request(.all, generation: 3)
        #expect(!drops.isEmpty)
        #expect(drops.take(forGeneration: 3) == [.partitions([partition]), .all])
        #expect(drops.isEmpty)
    }

    @Test("a request made while a newer read was under way drops nothing: that read's records came after the change")
    func newerRead() {
        var drops = ReadAheadDrops()
        drops.request(.paused([partition]), generation: 3)
        #expect(drops.take(forGeneration: 4).isEmpty)
        #expect(drops.isEmpty)
    }

    @Test("requests for several reads keep their order and only the current ones apply")
    func mixed() {
        var drops = ReadAheadDrops()
        drops.request(.all, generation: 1)
        drops.request(.partitions([partition]), generation: 2)
        drops.request(.paused([partition]), generation: 2)
        #expect(drops.take(forGeneration: 2) == [.partitions([partition]), .paused([partition])])
        #expect(drops.take(forGeneration: 2).isEmpty)
    }
}
