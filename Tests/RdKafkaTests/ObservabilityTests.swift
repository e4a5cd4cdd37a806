import Logging
import RdKafka
import Synchronization
import Testing

@Suite("Observability: statistics, metrics, logs and client errors")
struct ObservabilityTests {
    @Test("a producer delivers typed statistics naming its broker and topic")
    func statisticsReachTheHandler() async throws {
        let snapshots = Guarded<[Statistics]>([])
        let fixture = try TestCluster.makeProducerFixture(topicPrefix: "stats", partitions: 2) { configuration in
            configuration.statisticsInterval = .milliseconds(100)
            configuration.onStatistics = { statistics in snapshots.withLock { $0.append(statistics) } }
        }
        let (topic, producer) = (fixture.topic, fixture.producer)
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "v"))

        // Snapshots taken before the record was acknowledged do not count it yet.
        func countsTheRecord(_ statistics: Statistics) -> Bool {
            statistics.txMessages >= 1 && statistics.topic(named: topic)?.partitions.isEmpty == false
        }
        try await eventually(timeout: .seconds(10), "a snapshot counting the record") {
            snapshots.withLock { $0.contains(where: countsTheRecord) }
        }
        let latest = try #require(snapshots.withLock { $0.last(where: countsTheRecord) })
        await fixture.close()
        #expect(latest.type == .producer)
        #expect(latest.name == producer.name)
        #expect(latest.brokers.contains { $0.nodeID >= 0 && $0.state == "UP" })
        #expect(latest.topic(named: topic)?.partitions.contains { $0.partition == 0 || $0.partition == 1 } == true)
    }

    @Test("statistics are exported to swift-metrics when asked, and removed on close")
    func statisticsReachMetrics() async throws {
        let metrics = InMemoryMetrics()
        let fixture = try TestCluster.makeProducerFixture(topicPrefix: "metrics") { configuration in
            configuration.clientID = "metrics-test"
            configuration.statisticsInterval = .milliseconds(100)
            configuration.metrics = StatisticsMetricsOptions(namePrefix: "kafka", dimensions: [("service", "test")], factory: metrics)
        }
        let (topic, producer) = (fixture.topic, fixture.producer)
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "v"))

        let dimensions = ["client_id": "metrics-test", "service": "test"]
        try await eventually(timeout: .seconds(10), "the produced record in the counters") {
            (metrics.counter("kafka_tx_messages_total", dimensions) ?? 0) >= 1
        }
        #expect(metrics.gauge("kafka_queue_max_messages", dimensions) != nil)
        await fixture.close()
        #expect(!metrics.hasSeries(named: "kafka_queue_max_messages"))
    }

    @Test("a consumer's statistics reach swift-metrics, and its series go when it closes")
    func consumerMetrics() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(3, topicPrefix: "consumer-metrics")
        let metrics = InMemoryMetrics()
        var configuration = cluster.consumerConfiguration()
        configuration.clientID = "consumer-metrics"
        configuration.statisticsInterval = .milliseconds(100)
        configuration.metrics = StatisticsMetricsOptions(factory: metrics)
        let consumer = try cluster.assignedConsumer(topic, configuration: configuration)
        #expect(try await readRecords(consumer, count: 3).count == 3)
        let partition = ["client_id": "consumer-metrics", "topic": topic, "partition": "0"]
        try await eventually(timeout: .seconds(10), "the consumed records in the partition counter") {
            (metrics.counter("rdkafka_partition_rx_messages_total", partition) ?? 0) >= 3
        }
        await consumer.close()
        #expect(!metrics.hasSeries(named: "rdkafka_partition_rx_messages_total"))
    }

    @Test("asking for statistics without an interval is a configuration error")
    func statisticsNeedAnInterval() throws {
        var configuration = ProducerConfiguration(bootstrapServers: ["localhost:9092"])
        configuration.onStatistics = { _ in }
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: configuration)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.property == "statistics.interval.ms")
    }

    @Test("librdkafka's log lines reach the logger with their facility and the client's name")
    func logLinesReachTheLogger() async throws {
        let (logger, store) = InMemoryLogHandler.logger(level: .debug)
        let fixture = try TestCluster.makeProducerFixture(topicPrefix: "logs") { configuration in
            configuration.logger = logger
            configuration.debug = ["broker"]
        }
        let (topic, producer) = (fixture.topic, fixture.producer)
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "v"))
        let name = producer.name

        try await eventually(timeout: .seconds(10), "a broker debug line") {
            store.all.contains { $0.level == .debug && $0.metadata["rdkafka.facility"] != nil }
        }
        await fixture.close()
        let lines = store.all.filter { $0.metadata["rdkafka.facility"] != nil }
        #expect(lines.allSatisfy { $0.metadata["rdkafka.client"] == "\(name)" })
        #expect(lines.contains { $0.message.contains("Connected") || $0.metadata["rdkafka.facility"] == "CONNECT" })
    }

    @Test("a consumer's statistics and log lines arrive the same way")
    func consumerStatisticsAndLogs() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(3, topicPrefix: "consumer-stats")
        let snapshots = Guarded<[Statistics]>([])
        let (logger, store) = InMemoryLogHandler.logger(level: .debug)
        var configuration = cluster.consumerConfiguration()
        configuration.statisticsInterval = .milliseconds(100)
        configuration.onStatistics = { statistics in snapshots.withLock { $0.append(statistics) } }
        configuration.logger = logger
        configuration.debug = ["fetch"]
        let consumer = try cluster.assignedConsumer(topic, configuration: configuration)
        #expect(try await readRecords(consumer, count: 3).count == 3)
        try await eventually(timeout: .seconds(10), "a consumer snapshot with the partition") {
            snapshots.withLock { $0.contains { $0.type == .consumer && $0.topic(named: topic) != nil } }
        }
        let name = consumer.name
        await consumer.close()
        let lines = store.all.filter { $0.metadata["rdkafka.facility"] != nil }
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.metadata["rdkafka.client"] == "\(name)" })
    }

    @Test("levels are mapped, and a logger at error keeps librdkafka from producing lower lines")
    func logLevelsAreMapped() async throws {
        let (logger, store) = InMemoryLogHandler.logger(level: .error)
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.logger = logger
        configuration.onError = { _ in }
        let producer = try KafkaProducer(configuration: configuration)
        // librdkafka logs the refused connection at syslog level 3 (LOG_ERR) under facility FAIL.
        try await eventually(timeout: .seconds(10), "the connection failure line") {
            store.all.contains { $0.level == .error && $0.metadata["rdkafka.facility"] == "FAIL" }
        }
        let name = producer.name
        await producer.close()
        #expect(store.all.allSatisfy { $0.level >= .error })
        #expect(store.all.allSatisfy { $0.metadata["rdkafka.client"] == "\(name)" })
        #expect(producer.name == name, "the name stays readable after close")
    }

    @Test("client-level errors reach onError typed: a producer pointed at a closed port")
    func clientErrorsReachOnError() async throws {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.logger = InMemoryLogHandler.logger(level: .error).0
        let errors = Guarded<[KafkaError]>([])
        configuration.onError = { error in errors.withLock { $0.append(error) } }
        let producer = try KafkaProducer(configuration: configuration)
        try await eventually(timeout: .seconds(10), "a transport or all-brokers-down error") {
            errors.withLock { $0.contains { $0.code == .transport || $0.code == .allBrokersDown } }
        }
        await producer.close()
        let seen = errors.withLock { $0 }
        #expect(seen.allSatisfy { !$0.isFatal })
        #expect(seen.contains { $0.code == .allBrokersDown && $0.isRetriable })
    }
}
