import Foundation
import Logging
import RdKafka
import RdKafkaServiceLifecycle
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Service lifecycle")
struct ServiceLifecycleTests {
    private let logger = InMemoryLogHandler.logger(level: .warning).0

    @Test("the producer service delivers what was sent and closes on graceful shutdown")
    func producerService() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(topicPrefix: "service") { configuration in
            // A long linger keeps records queued, so shutdown has something to deliver.
            configuration.linger = .milliseconds(500)
        }
        let group = ServiceGroup(services: [KafkaProducerService(producer)], logger: logger)
        let running = Task { try await group.run() }

        for index in 0..<20 {
            try producer.sendAndForget(ProducerRecord(topic: topic, partition: 0, key: "k", value: "v\(index)"))
        }
        #expect(!producer.isClosed)
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(producer.isClosed)
        #expect(producer.outstandingRecordCount == 0)

        let records = try RawConsumer.readAll(topic: topic, count: 20, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == (0..<20).map { "v\($0)" })
    }

    @Test("the consumer service processes records, and on graceful shutdown commits what it processed and closes")
    func consumerService() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(10, topicPrefix: "service-consume")
        let configuration = cluster.consumerConfiguration()
        let groupID = try #require(configuration.groupID)
        let consumer = try cluster.stringConsumer(configuration)
        let partition = TopicPartition(topic: topic, partition: 0)
        try consumer.assign([partition])

        let seen = Guarded<[String]>([])
        let service = KafkaConsumerService(consumer, logger: logger) { record in
            seen.withLock { $0.append(record.value) }
        }
        let group = ServiceGroup(services: [service], logger: logger)
        let running = Task { try await group.run() }
        try await eventually(timeout: .seconds(45), "ten processed records") { seen.withLock { $0.count } == 10 }
        await group.triggerGracefulShutdown()
        try await running.value

        #expect(seen.withLock { $0 } == (0..<10).map { "v\($0)" })
        let error = #expect(throws: KafkaError.self) { _ = try consumer.poll(timeout: .milliseconds(10)) }
        #expect(error?.code == .clientClosed)

        let admin = try KafkaAdminClient(configuration: AdminConfiguration(bootstrapServers: cluster.bootstrapServers))
        let committed = try await admin.listConsumerGroupOffsets(groupID, partitions: [partition])
        await admin.close()
        #expect(committed == [partition: 10])
    }

    @Test("when processing fails, the consumer service commits what succeeded, closes, and rethrows")
    func consumerServiceFailure() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(10, topicPrefix: "service-fail")
        let configuration = cluster.consumerConfiguration()
        let consumer = try cluster.stringConsumer(configuration)
        let partition = TopicPartition(topic: topic, partition: 0)
        try consumer.assign([partition])
        struct Poison: Error {}
        let service = KafkaConsumerService(consumer, logger: logger) { record in
            if record.value == "v4" { throw Poison() }
        }
        let group = ServiceGroup(services: [service], logger: logger)
        await #expect(throws: (any Error).self) { try await group.run() }

        let admin = try KafkaAdminClient(configuration: AdminConfiguration(bootstrapServers: cluster.bootstrapServers))
        let committed = try await admin.listConsumerGroupOffsets(try #require(configuration.groupID), partitions: [partition])
        await admin.close()
        #expect(committed == [partition: 4])
    }
}
