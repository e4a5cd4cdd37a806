import Foundation
import RdKafka
import Testing

/// Java's RoundRobinPartitioner, a partitioner that sees the value and is asked for keyless
/// records, and the sticky placement of keyless records by default.
@Suite("Producer: round-robin, record partitioners and sticky keyless placement")
struct ProducerRecordPartitionerTests {
    @Test("roundRobin places keyed and keyless records on each partition in turn; an explicit partition takes no turn")
    func roundRobin() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(topicPrefix: "round-robin", partitions: 4) { configuration in
            configuration.partitioner = .roundRobin
        }
        var placed: [String: Int32] = [:]
        for index in 0..<12 {
            // The same key every other record: round-robin ignores keys.
            let record = ProducerRecord(topic: topic, key: index.isMultiple(of: 2) ? "same-key" : nil, value: "r\(index)")
            placed["r\(index)"] = try await producer.send(record).partition
            if index == 5 {
                placed["explicit"] = try await producer.send(ProducerRecord(topic: topic, partition: 3, value: "explicit")).partition
            }
        }
        let pending = try await producer.enqueue(ProducerRecord(topic: topic, value: "r12"))
        placed["r12"] = try await pending.metadata.partition
        try producer.sendAndForget(ProducerRecord(topic: topic, value: "r13"))
        try await producer.flush(timeout: .seconds(10))
        await producer.close()

        for index in 0..<13 { #expect(placed["r\(index)"] == Int32(index % 4), "r\(index)") }
        #expect(placed["explicit"] == 3)
        // Read back independently: each record is where the producer said, r13 too.
        let stored = try RawConsumer.readAll(topic: topic, count: 15, bootstrapServers: cluster.bootstrapServers)
        let storedPartitions = Dictionary(uniqueKeysWithValues: stored.map { (String(decoding: $0.value ?? [], as: UTF8.self), $0.partition) })
        #expect(storedPartitions == placed.merging(["r13": 1]) { $1 })
    }

    @Test("a RecordPartitioner sees topic, key, value and partitions, and places keyless records too")
    func recordPartitioner() async throws {
        let partitioner = ValuePrefixPartitioner()
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(topicPrefix: "by-value", partitions: 5) { configuration in
            configuration.partitioner = .custom(partitioner)
            configuration.logger.logLevel = .critical
        }
        // The value's first digit names the partition, keyed or not.
        let values = ["3:keyless", "1:keyless", "4:keyed", "0:keyed", "2:keyless", "3:keyed"]
        for (index, value) in values.enumerated() {
            let key = value.hasSuffix(":keyed") ? "key-\(index)" : nil
            #expect(try await producer.send(ProducerRecord(topic: topic, key: key, value: value)).partition == Int32(String(value.first!))!)
        }
        // A partition it does not have, or a thrown error, fails the record, typed and unsent.
        let outOfRange = await #expect(throws: KafkaError.self) { try await producer.send(ProducerRecord(topic: topic, value: "9:nowhere")) }
        #expect(outOfRange?.code == .unknownPartition)
        #expect(outOfRange?.partition == 9 && outOfRange?.topic == topic)
        let thrown = await #expect(throws: KafkaError.self) { try await producer.send(ProducerRecord(topic: topic, key: "k", value: "no digit")) }
        #expect(thrown?.code == .invalidRecord)
        #expect(thrown?.underlyingError is ValuePrefixPartitioner.NoDigit)
        // An explicit partition is not asked about.
        #expect(try await producer.send(ProducerRecord(topic: topic, partition: 1, value: "no digit either")).partition == 1)
        await producer.close()

        let seen = partitioner.seen
        #expect(seen.map(\.value) == values + ["9:nowhere", "no digit"])
        #expect(seen.map(\.hadKey) == values.map { $0.hasSuffix(":keyed") } + [false, true])
        #expect(seen.allSatisfy { $0.topic == topic && $0.partitionIDs == [0, 1, 2, 3, 4] && $0.allLed })

        let stored = try RawConsumer.readAll(topic: topic, count: values.count + 1, bootstrapServers: cluster.bootstrapServers)
        #expect(stored.count == values.count + 1)
        for record in stored {
            let value = String(decoding: record.value ?? [], as: UTF8.self)
            if value == "no digit either" { #expect(record.partition == 1); continue }
            #expect(record.partition == Int32(String(value.first!)), "\(value)")
            #expect(record.key.map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("key-") ?? !value.hasSuffix(":keyed"))
        }
        // Nothing else was stored: the failed records were never sent.
        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        let ends = try consumer.endOffsets((0..<5).map { TopicPartition(topic: topic, partition: $0) })
        #expect(ends.values.reduce(0, +) == Int64(values.count + 1))
        await consumer.close()
    }

    @Test("by default, keyless records of a burst land together on one partition, then move on")
    func stickyKeyless() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("sticky", partitions: 4)
        var configuration = cluster.producerConfiguration()
        // The default partitioner, with librdkafka's sticky window widened from 10 ms to 1 s
        // so that a burst from a loaded machine still falls inside one window.
        let window = Duration.seconds(1)
        configuration.properties["sticky.partitioning.linger.ms"] = "1000"
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string)

        func burst(_ label: String) async throws -> (partitions: [Int32], took: Duration) {
            let started = ContinuousClock.now
            var pending: [PendingDelivery] = []
            for index in 0..<30 { pending.append(try await producer.enqueue(ProducerRecord(topic: topic, value: "\(label)-\(index)"))) }
            let took = ContinuousClock.now - started
            var partitions: [Int32] = []
            for delivery in pending { partitions.append(try await delivery.metadata.partition) }
            return (partitions, took)
        }

        // librdkafka picks a new sticky partition for every record while the chosen one's
        // leader is not connected yet: one record first, so the burst meets a ready client.
        try await producer.send(ProducerRecord(topic: topic, value: "warm-up"))
        let first = try await burst("first")
        try #require(first.took < window, "the burst took \(first.took), longer than the sticky window")
        #expect(Set(first.partitions).count == 1, "one burst, one partition: \(first.partitions)")
        let stuck = try #require(first.partitions.first)

        // Once the window has passed, keyless records go to a partition chosen anew; it may
        // be the same one again, so keep sending until one moves.
        var moved: Int32?
        try await eventually(timeout: .seconds(60), "a keyless record placed on another partition") {
            let partition = try await producer.send(ProducerRecord(topic: topic, value: "probe")).partition
            if partition != stuck { moved = partition }
            return moved != nil
        }
        // The next burst sticks to where the records moved.
        let second = try await burst("second")
        try #require(second.took < window, "the burst took \(second.took), longer than the sticky window")
        #expect(Set(second.partitions).count == 1, "one burst, one partition: \(second.partitions)")
        await producer.close()
    }
}

/// Places each record on the partition named by its value's first digit, and remembers what
/// it was shown.
private final class ValuePrefixPartitioner: RecordPartitioner {
    struct NoDigit: Error {}

    struct Call: Sendable {
        var topic: String
        var hadKey: Bool
        var value: String
        var partitionIDs: [Int32]
        var allLed: Bool
    }

    private let calls = Guarded<[Call]>([])
    var seen: [Call] { calls.withLock { $0 } }

    func partition(
        topic: String,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        partitions: [ClusterMetadata.Partition]
    ) throws -> Int32 {
        let text = value.map { String(decoding: $0, as: UTF8.self) } ?? ""
        calls.withLock {
            $0.append(Call(topic: topic, hadKey: key != nil, value: text, partitionIDs: partitions.map(\.id), allLed: partitions.allSatisfy { $0.leader >= 0 }))
        }
        guard let digit = text.first?.wholeNumberValue else { throw NoDigit() }
        return Int32(digit)
    }
}
