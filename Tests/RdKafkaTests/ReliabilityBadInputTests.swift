import Foundation
import RdKafka
import Testing

/// The bad-input table of docs/reliability.md: each bad input is a typed ``KafkaError`` with
/// the right code, no crash, and nothing accepted is lost. Rows already proven elsewhere:
/// - empty topic, negative partition: `ProducerErrorTests.invalidRecords`
/// - oversize record: `ProducerErrorTests.oversizeRecord`
/// - invalid producer configuration and idempotence rules: `ProducerErrorTests.configurationErrors`, `.idempotenceRules`
/// - invalid consumer configuration: `ConsumerReadTests.invalidConfiguration`
/// - wrong-size `.int32` payload: `ConsumerReadTests.deserializationError`
/// - use after close, double close: `ProducerErrorTests.sendAfterClose`, `ConsumerReadTests.closedConsumer`
/// - concurrent close and send: `ProducerConcurrencyTests.closeWhileSending`
/// - producer released with records in flight: `ProducerCloseTests.dropWithoutClose`
@Suite("Reliability: bad input is a typed error, never a crash or a loss")
struct ReliabilityBadInputTests {
    @Test("illegal topic names are refused at send and at subscribe, before librdkafka; the clients stay usable")
    func invalidTopicNames() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer()
        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        // A real broker refuses these only when the record is delivered; the embedded one
        // (librdkafka 2.0.2's mock) would even create them.
        for name in ["bad topic", "slash/topic", "ümlaut", String(repeating: "t", count: 250), ".", ".."] {
            let sendError = await #expect(throws: KafkaError.self, "send to '\(name.prefix(20))'") {
                try await producer.send(ProducerRecord(topic: name, value: "x"))
            }
            #expect(sendError?.code == .invalidRecord)
            #expect(sendError?.topic == name)
            let subscribeError = #expect(throws: KafkaError.self, "subscribe to '\(name.prefix(20))'") {
                try consumer.subscribe(topics: [topic, name])
            }
            #expect(subscribeError?.code == .invalidArgument)
        }
        #expect(producer.outstandingRecordCount == 0, "nothing was enqueued")
        // Legal names at the limits, and patterns, are accepted.
        try consumer.subscribe(topics: [topic, String(repeating: "t", count: 249), "^pattern.*"])
        #expect(try await producer.send(ProducerRecord(topic: topic, value: "ok")).offset == 0)
        await producer.close()
        await consumer.close()
    }

    @Test("a partition beyond the topic's count fails typed; the producer stays usable")
    func partitionOutOfRange() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 3)
        var configuration = cluster.producerConfiguration()
        configuration.deliveryTimeout = .seconds(5)
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string)
        _ = try await producer.send(ProducerRecord(topic: topic, partition: 0, value: "first"))
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, partition: 3, value: "x"))
        }
        #expect(error?.code == .unknownPartition)
        #expect(error?.topic == topic)
        #expect(try await producer.send(ProducerRecord(topic: topic, partition: 2, value: "ok")).partition == 2)
        await producer.close()
    }

    private func expectConsumerConfigurationError(
        _ configure: (inout ConsumerConfiguration) -> Void,
        property: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var configuration = ConsumerConfiguration(bootstrapServers: ["127.0.0.1:1"], groupID: "g")
        configure(&configuration)
        let error = #expect(throws: KafkaError.self, sourceLocation: sourceLocation) {
            _ = try KafkaConsumer(configuration: configuration)
        }
        #expect(error?.code == .invalidConfiguration, sourceLocation: sourceLocation)
        #expect(error?.property == property, "\(String(describing: error))", sourceLocation: sourceLocation)
    }

    @Test("invalid consumer configuration values fail at construction, naming the property")
    func invalidConsumerConfiguration() {
        expectConsumerConfigurationError({ $0.sessionTimeout = .milliseconds(-5) }, property: "session.timeout.ms")
        expectConsumerConfigurationError({ $0.fetchMaxWait = .milliseconds(-1) }, property: "fetch.wait.max.ms")
        expectConsumerConfigurationError({ $0.maxPartitionFetchBytes = -1 }, property: "max.partition.fetch.bytes")
        expectConsumerConfigurationError({ $0.properties["auto.offset.reset"] = "sometimes" }, property: "auto.offset.reset")
        expectConsumerConfigurationError({ $0.properties["no.such.property"] = "1" }, property: "no.such.property")
        expectConsumerConfigurationError({ $0.bootstrapServers = [] }, property: "bootstrap.servers")
        expectConsumerConfigurationError({ $0.sessionTimeout = .seconds(Int64.max) }, property: "session.timeout.ms")
    }

    @Test("a call timeout beyond librdkafka's range waits as long as it can instead of trapping")
    func hugeCallTimeout() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(2)
        let consumer = try cluster.assignedConsumer(topic)
        let partition = TopicPartition(topic: topic, partition: 0)
        #expect(try consumer.queryWatermarks(partition, timeout: .seconds(Int64.max)) == Watermarks(low: 0, high: 2))
        await consumer.close(timeout: .seconds(Int64.max))
    }

    @Test("a second task reading while another read is in progress gets a typed state error; the first read is unharmed")
    func concurrentReaders() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        // The first reader blocks in poll on its own thread until woken.
        async let first: KafkaError.Code? = withCheckedContinuation { (continuation: CheckedContinuation<KafkaError.Code?, Never>) in
            Thread.detachNewThread {
                while true {
                    do {
                        _ = try consumer.poll(timeout: .seconds(30))
                        continuation.resume(returning: nil)
                    } catch let error as KafkaError where error.code == .state {
                        continue  // it met the test's own probing read; read again
                    } catch {
                        continuation.resume(returning: (error as? KafkaError)?.code)
                    }
                    return
                }
            }
        }
        // Until the first read has begun, a read finds nothing; once it has, it is refused.
        var refusal: KafkaError?
        try await eventually(timeout: .seconds(30), "a concurrent read refused") {
            do {
                _ = try consumer.poll(timeout: .zero)
                return false
            } catch {
                refusal = error as? KafkaError
                return true
            }
        }
        #expect(refusal?.code == .state)
        consumer.wakeup()
        #expect(await first == .wakeup, "the first read ends as woken, not failed")
        await consumer.close()
    }

    struct Item: Codable, Equatable, Sendable {
        var id: Int
    }

    /// What reading a partition from the start produced, by offset: each value, or the error code.
    private func outcomes<Key, Value>(
        _ consumer: KafkaConsumer<Key, Value>,
        topic: String,
        count: Int
    ) async throws -> [Int64: Result<Value, KafkaError>] {
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        var outcomes: [Int64: Result<Value, KafkaError>] = [:]
        let deadline = ContinuousClock.now + .seconds(20)
        while outcomes.count < count, ContinuousClock.now < deadline {
            do {
                if let record = try consumer.poll(timeout: .milliseconds(200)) { outcomes[record.offset] = .success(record.value) }
            } catch {
                let offset = try #require(error.offset, "a deserialization error names its offset")
                outcomes[offset] = .failure(error)
            }
        }
        await consumer.close()
        return outcomes
    }

    @Test("invalid UTF-8 for .string and invalid JSON for a Codable: typed errors at their offsets, the records around them read")
    func undecodablePayloads() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(keySerializer: .bytes, valueSerializer: .bytes)
        let payloads: [(key: [UInt8]?, value: [UInt8])] = [
            (nil, Array(#"{"id":0}"#.utf8)),
            (nil, [0xFF, 0xFE, 0x41]),              // not UTF-8, not JSON
            (nil, Array(#"{"id":2}"#.utf8)),
            (nil, Array(#"{"id":"#.utf8)),          // UTF-8, truncated JSON
            ([0xC3, 0x28], Array(#"{"id":4}"#.utf8)), // key not UTF-8
            (nil, Array(#"{"id":5}"#.utf8)),
        ]
        for payload in payloads {
            _ = try await producer.send(ProducerRecord(topic: topic, partition: 0, key: payload.key, value: payload.value))
        }
        await producer.close()

        let strings = try await outcomes(
            KafkaConsumer(configuration: cluster.consumerConfiguration(), keyDeserializer: .string, valueDeserializer: .string),
            topic: topic, count: payloads.count
        )
        #expect(strings.count == payloads.count, "every offset has an outcome")
        #expect(try strings[0]?.get() == #"{"id":0}"#)
        #expect(strings[1]?.failureCode == .valueDeserialization)
        #expect(strings[1]?.failureUnderlying is SerializationError)
        #expect(try strings[3]?.get() == #"{"id":"#)
        #expect(strings[4]?.failureCode == .keyDeserialization)
        #expect(try strings[5]?.get() == #"{"id":5}"#)

        let items = try await outcomes(
            KafkaConsumer(configuration: cluster.consumerConfiguration(), keyDeserializer: .bytes, valueDeserializer: .json(Item.self)),
            topic: topic, count: payloads.count
        )
        #expect(items.count == payloads.count, "every offset has an outcome")
        #expect(try items[0]?.get() == Item(id: 0))
        #expect(items[1]?.failureCode == .valueDeserialization)
        #expect(try items[2]?.get() == Item(id: 2))
        #expect(items[3]?.failureCode == .valueDeserialization)
        #expect(items[3]?.failureUnderlying is DecodingError)
        #expect(try items[4]?.get() == Item(id: 4))
        #expect(try items[5]?.get() == Item(id: 5))
    }

    @Test("a consumer closed while another task iterates its records: the iteration ends cleanly, nothing hangs")
    func closeWhileIterating() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 2)
        try await cluster.produce(topic: topic, count: 2_000, partitions: 2)
        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        try consumer.subscribe(topics: [topic])
        let read = Guarded(0)
        // One reader: a consumer is read from one task at a time (a second concurrent
        // reader is refused with `.state`).
        let reader = Task { () -> KafkaError.Code? in
            do throws(KafkaError) {
                for try await _ in consumer.records { read.withLock { $0 += 1 } }
                return nil
            } catch {
                return error.code
            }
        }
        try await eventually("records flowing") { read.withLock { $0 } > 100 }
        let began = ContinuousClock.now
        await consumer.close()
        let ending = await reader.value
        #expect(ending == nil || ending == .clientClosed, "ended with \(String(describing: ending))")
        #expect(ContinuousClock.now - began < .seconds(15), "close and the readers' ends did not hang")
        #expect(consumer.isClosed)
    }
}

extension Result where Failure == KafkaError {
    var failureCode: KafkaError.Code? {
        if case .failure(let error) = self { return error.code }
        return nil
    }

    var failureUnderlying: (any Error)? {
        if case .failure(let error) = self { return error.underlyingError }
        return nil
    }
}
