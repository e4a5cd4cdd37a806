import Foundation
import RdKafka
import Synchronization
import Testing

@Suite("Consumer: reading records", .serialized)
struct ConsumerReadTests {
    @Test("records come back with their keys, values, headers and timestamps, in order per partition; without headers when not read")
    func roundTrip() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(partitions: 3)
        let start = KafkaTimestamp.now.millisecondsSinceEpoch
        var sent: [ProducerRecord<String, String>] = []
        for index in 0..<60 {
            sent.append(ProducerRecord(
                topic: topic,
                partition: Int32(index % 3),
                key: index % 10 == 0 ? nil : "k\(index)",
                value: "v\(index)",
                timestamp: KafkaTimestamp(millisecondsSinceEpoch: start + Int64(index)),
                headers: [RecordHeader(key: "index", value: "\(index)"), RecordHeader(key: "null", value: nil)]
            ))
        }
        for record in sent { _ = try await producer.send(record) }
        await producer.close()

        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        try consumer.subscribe(topics: [topic])
        let records = try await readRecords(consumer, count: 60)
        await consumer.close()

        for partition in Int32(0)..<3 {
            let received = records.filter { $0.partition == partition }
            let expected = sent.filter { $0.partition == partition }
            #expect(received.map(\.offset) == Array(0..<Int64(expected.count)))
            #expect(received.map(\.key) == expected.map(\.key))
            #expect(received.map(\.value) == expected.map(\.value))
            #expect(received.map(\.headers) == expected.map(\.headers))
            #expect(received.map(\.timestamp) == expected.map(\.timestamp))
            #expect(received.allSatisfy { $0.topic == topic && $0.timestampKind == .createTime })
        }

        // A consumer that does not read headers gets the same records, without them.
        var headless = cluster.consumerConfiguration()
        headless.readsHeaders = false
        let withoutHeaders = try cluster.stringConsumer(headless)
        try withoutHeaders.subscribe(topics: [topic])
        let bare = try await readRecords(withoutHeaders, count: 60)
        await withoutHeaders.close()
        #expect(bare.allSatisfy { $0.headers.isEmpty })
        let bareRecords: [String] = bare.map { "\($0.key ?? "-")=\($0.value)" }.sorted()
        let sentRecords: [String] = sent.map { "\($0.key ?? "-")=\($0.value)" }.sorted()
        #expect(bareRecords == sentRecords)
    }

    @Test("poll and batch poll read the same records as the async sequence")
    func pollModes() async throws {
        let cluster = try TestCluster.make()
        let consumer = try cluster.assignedConsumer(try await cluster.topic(withRecords: 25))
        var values: [String] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while values.count < 5, ContinuousClock.now < deadline {
            if let record = try consumer.poll(timeout: .milliseconds(200)) { values.append(record.value) }
        }
        while values.count < 25, ContinuousClock.now < deadline {
            let batch = try consumer.poll(maxRecords: 7, timeout: .milliseconds(200))
            #expect(batch.count <= 7)
            values += batch.map(\.value)
        }
        #expect(values == (0..<25).map { "v\($0)" })
        #expect(try consumer.poll(timeout: .milliseconds(100)) == nil)
        await consumer.close()
    }

    @Test("a record that cannot be deserialized surfaces with its coordinates and can be skipped")
    func deserializationError() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        try await cluster.produce(topic: topic, values: [[0, 0, 0, 1], [1, 2, 3], [0, 0, 0, 3]])

        let consumer = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(), keyDeserializer: .string, valueDeserializer: .int32
        )
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        var iterator = consumer.records.makeAsyncIterator()
        #expect(try await iterator.next()?.value == 1)
        do {
            _ = try await iterator.next()
            Issue.record("the malformed record was not reported")
        } catch {
            #expect(error.code == .valueDeserialization)
            #expect(error.topic == topic)
            #expect(error.partition == 0)
            #expect(error.offset == 1)
            #expect(error.underlyingError != nil)
        }
        // The position is past the bad record: the next read skips it.
        let next = try await iterator.next()
        #expect(next?.value == 3)
        #expect(next?.offset == 2)
        await consumer.close()
    }

    @Test("a batch poll returns the records before a malformed one and throws its error next")
    func batchDeserializationError() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        try await cluster.produce(topic: topic, values: [[0, 0, 0, 0], [0, 0, 0, 1], [9], [0, 0, 0, 3]])
        let consumer = try KafkaConsumer(configuration: cluster.consumerConfiguration(), keyDeserializer: .string, valueDeserializer: .int32)
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        var values: [Int32] = []
        var failure: KafkaError?
        let deadline = ContinuousClock.now + .seconds(20)
        while values.count < 3, ContinuousClock.now < deadline {
            do {
                values += try consumer.poll(maxRecords: 10, timeout: .milliseconds(200)).map(\.value)
            } catch {
                #expect(failure == nil)
                failure = error
            }
        }
        #expect(values == [0, 1, 3])
        #expect(failure?.code == .valueDeserialization)
        #expect(failure?.offset == 2)
        await consumer.close()
    }

    @Test("a second concurrent reader is refused instead of interleaving")
    func oneReaderAtATime() async throws {
        let cluster = try TestCluster.make()
        let consumer = try cluster.assignedConsumer(try cluster.createTopic(partitions: 1))
        let first = try await startBlockingPoll(consumer, timeout: .seconds(30))
        // The first reader is inside its poll once the second one is refused.
        try await eventually(timeout: .seconds(5), "second reader refused") {
            do {
                _ = try consumer.poll(timeout: .zero)
                return false
            } catch {
                return (error as? KafkaError)?.code == .state
            }
        }
        consumer.wakeup()
        #expect(await first.value == .wakeup)
        await consumer.close()
    }

    @Test("cancelling the reading task ends the async sequence")
    func cancellationEndsSequence() async throws {
        let cluster = try TestCluster.make()
        let consumer = try cluster.assignedConsumer(try cluster.createTopic(partitions: 1))
        let started = Atomic<Bool>(false)
        let reader = Task {
            var count = 0
            started.store(true, ordering: .releasing)
            for try await _ in consumer.records { count += 1 }
            return count
        }
        try await eventually(timeout: .seconds(5), "reader started") { started.load(ordering: .acquiring) }
        reader.cancel()
        let count = try await reader.value
        #expect(count == 0)
        await consumer.close()
    }

    @Test("wakeup makes a blocked poll throw wakeup")
    func wakeupUnblocksPoll() async throws {
        let cluster = try TestCluster.make()
        let consumer = try cluster.assignedConsumer(try cluster.createTopic(partitions: 1))
        let began = ContinuousClock.now
        let outcome = try await startBlockingPoll(consumer, timeout: .seconds(30))
        consumer.wakeup()
        #expect(await outcome.value == .wakeup)
        #expect(ContinuousClock.now - began < .seconds(10))
        // The consumer stays usable.
        #expect(try consumer.poll(timeout: .milliseconds(50)) == nil)
        await consumer.close()
    }

    @Test("after close every call throws clientClosed, close is idempotent, and the sequence ends")
    func closedConsumer() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        try consumer.subscribe(topics: [topic])
        async let first: Void = consumer.close()
        async let second: Void = consumer.close()
        _ = await (first, second)
        await consumer.close()
        #expect(consumer.isClosed)
        #expect(throws: KafkaError.self) { try consumer.poll(timeout: .milliseconds(10)) }
        #expect(throws: KafkaError.self) { try consumer.commitSync() }
        #expect(throws: KafkaError.self) { try consumer.assignment() }
        do {
            try consumer.subscribe(topics: [topic])
        } catch {
            #expect(error.code == .clientClosed)
        }
        var count = 0
        for try await _ in consumer.records { count += 1 }
        #expect(count == 0)
    }

    @Test("a consumer dropped without close releases itself")
    func dropWithoutClose() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(3)
        weak var weakConsumer: KafkaConsumer<String, String>?
        do {
            let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
            weakConsumer = consumer
            try consumer.subscribe(topics: [topic], listener: RecordingListener())
            _ = try await readRecords(consumer, count: 3)
        }
        #expect(weakConsumer == nil)
    }

    @Test("an invalid configuration is refused at construction, naming the property")
    func invalidConfiguration() throws {
        var configuration = ConsumerConfiguration(bootstrapServers: ["localhost:9092"], groupID: "g")
        configuration.properties["session.timeout.ms"] = "banana"
        do {
            _ = try KafkaConsumer(configuration: configuration)
            Issue.record("accepted an invalid session timeout")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.property == "session.timeout.ms")
        }
        var empty = ConsumerConfiguration(bootstrapServers: ["localhost:9092"])
        empty.assignmentStrategies = []
        #expect(throws: KafkaError.self) { try KafkaConsumer(configuration: empty) }
    }
}
