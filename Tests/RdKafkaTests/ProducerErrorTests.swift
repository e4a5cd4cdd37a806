import RdKafka
import Testing

@Suite("Producer: typed errors at the earliest point")
struct ProducerErrorTests {
    private func expectConfigurationError(
        _ configure: (inout ProducerConfiguration) -> Void,
        property: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configure(&configuration)
        let error = #expect(throws: KafkaError.self, sourceLocation: sourceLocation) {
            _ = try KafkaProducer(configuration: configuration)
        }
        #expect(error?.code == .invalidConfiguration, sourceLocation: sourceLocation)
        #expect(error?.property == property, sourceLocation: sourceLocation)
    }

    @Test("invalid configuration fails at construction, naming the property")
    func configurationErrors() throws {
        try expectConfigurationError({ $0.properties["no.such.property"] = "1" }, property: "no.such.property")
        try expectConfigurationError({ $0.properties["linger.ms"] = "soon" }, property: "linger.ms")
        try expectConfigurationError({ $0.batchSizeBytes = -5 }, property: "batch.size")
        try expectConfigurationError({ $0.bootstrapServers = [] }, property: "bootstrap.servers")
        try expectConfigurationError({ $0.linger = .milliseconds(-1) }, property: "linger.ms")
        try expectConfigurationError({ $0.compressionLevel = 99; $0.compression = .gzip }, property: "compression.level")
    }

    @Test("idempotence rules are explained, not just refused")
    func idempotenceRules() throws {
        try expectConfigurationError({ $0.enableIdempotence = true; $0.acks = .one }, property: "acks")
        try expectConfigurationError({ $0.enableIdempotence = true; $0.maxInFlightRequestsPerConnection = 6 }, property: "max.in.flight.requests.per.connection")
        try expectConfigurationError({ $0.enableIdempotence = true; $0.retries = 0 }, property: "retries")
        try expectConfigurationError({ $0.transactionalID = "tx"; $0.acks = .zero }, property: "acks")

        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"], acks: .one)
        configuration.enableIdempotence = true
        let error = try #require(throws: KafkaError.self) { _ = try KafkaProducer(configuration: configuration) }
        #expect(error.message.contains("acks = .all"))
    }

    @Test("a record larger than message.max.bytes is refused at send")
    func oversizeRecord() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic()
        var configuration = cluster.producerConfiguration()
        configuration.maxMessageBytes = 10_000
        let producer = try KafkaProducer(configuration: configuration)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, value: [UInt8](repeating: 1, count: 20_000)))
        }
        #expect(error?.code == .messageSizeTooLarge)
        #expect(error?.topic == topic)
        // The producer still works afterwards.
        #expect(try await producer.send(ProducerRecord(topic: topic, value: [1])).offset == 0)
        await producer.close()
    }

    @Test("an unknown topic with auto-creation off fails with a typed error")
    func unknownTopic() async throws {
        let cluster = try TestCluster.make()
        var configuration = cluster.producerConfiguration()
        configuration.properties["allow.auto.create.topics"] = "false"
        configuration.properties["topic.metadata.propagation.max.ms"] = "200"
        configuration.deliveryTimeout = .seconds(5)
        let producer = try KafkaProducer(configuration: configuration)
        let topic = "no-such-topic-\(UInt32.random(in: 0...UInt32.max))"
        // librdkafka 2.0.2's mock creates any topic asked for; make it answer as a broker
        // without the topic would.
        try cluster.embedded?.setTopicError(topic, .unknownTopicOrPartition)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, value: [1]))
        }
        #expect(error?.code == .unknownTopic || error?.code == .unknownTopicOrPartition)
        await producer.close()
    }

    @Test("empty topic names and negative partitions are refused before librdkafka")
    func invalidRecords() async throws {
        let cluster = try TestCluster.make()
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        let empty = #expect(throws: KafkaError.self) { try producer.sendAndForget(ProducerRecord(topic: "", value: [1])) }
        #expect(empty?.code == .invalidRecord)
        let negative = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: "t", partition: -3, value: [1]))
        }
        #expect(negative?.code == .invalidRecord)
        #expect(negative?.partition == -3)
        await producer.close()
    }

    @Test("a serializer failure is typed, names the topic, and sends nothing")
    func serializationFailure() async throws {
        struct Unencodable: Encodable {
            func encode(to encoder: any Encoder) throws {
                throw EncodingError.invalidValue(0, .init(codingPath: [], debugDescription: "refused"))
            }
        }
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic()
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .json(Unencodable.self))
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, key: "k", value: Unencodable()))
        }
        #expect(error?.code == .valueSerialization)
        #expect(error?.topic == topic)
        #expect(error?.underlyingError is EncodingError)
        #expect(producer.outstandingRecordCount == 0, "nothing was enqueued")
        await producer.close()
    }

    @Test("every call after close is a typed clientClosed error; close is idempotent and concurrent-safe")
    func sendAfterClose() async throws {
        let fixture = try TestCluster.makeProducerFixture()
        let (topic, producer) = (fixture.topic, fixture.producer)
        try await producer.send(ProducerRecord(topic: topic, value: "before"))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { await producer.close() } }
        }
        await fixture.close()
        #expect(producer.isClosed)
        let asyncError = await #expect(throws: KafkaError.self) { try await producer.send(ProducerRecord(topic: topic, value: "after")) }
        #expect(asyncError?.code == .clientClosed)
        let syncError = #expect(throws: KafkaError.self) { try producer.sendAndForget(ProducerRecord(topic: topic, value: "after")) }
        #expect(syncError?.code == .clientClosed)
        let callbackError = #expect(throws: KafkaError.self) { try producer.send(ProducerRecord(topic: topic, value: "after")) { _ in } }
        #expect(callbackError?.code == .clientClosed)
        let flushError = await #expect(throws: KafkaError.self) { try await producer.flush() }
        #expect(flushError?.code == .clientClosed)
    }
}
