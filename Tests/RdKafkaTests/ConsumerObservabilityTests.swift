import Foundation
import Logging
@testable import RdKafka
import Testing

@Suite("Consumer: logs, statistics and group metadata", .serialized)
struct ConsumerObservabilityTests {
    @Test("librdkafka's log lines reach the configured logger, statistics reach the internal hook")
    func logsAndStatistics() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let lines = Guarded<[String]>([])
        let statistics = Guarded<[String]>([])
        var configuration = cluster.consumerConfiguration()
        configuration.logger = Logger(label: "consumer-test") { _ in CapturingLogHandler(lines: lines) }
        configuration.logger.logLevel = .debug
        configuration.debug = ["cgrp"]
        configuration.statisticsInterval = .milliseconds(100)
        let consumer = try KafkaConsumer(
            configuration: configuration,
            keyDeserializer: .string,
            valueDeserializer: .string,
            onStatistics: { json in statistics.withLock { $0.append(json) } }
        )
        try consumer.subscribe(topics: [topic], listener: RecordingListener())
        let reader = Task { for try await _ in consumer.records {} }
        try await eventually(timeout: .seconds(20), "log lines and statistics") {
            lines.withLock { !$0.isEmpty } && statistics.withLock { !$0.isEmpty }
        }
        let firstStatistics = try #require(statistics.withLock { $0.first })
        #expect(try Statistics(json: firstStatistics).type == .consumer)
        try await eventually(timeout: .seconds(30), "group joined") { try consumer.memberID != nil && !consumer.assignment().isEmpty }
        _ = try consumer.groupMetadata()
        reader.cancel()
        await consumer.close()
        let captured = lines.withLock { $0 }
        #expect(captured.contains { $0.contains("rdkafka.facility") }, "\(captured.prefix(20))")
    }
}

/// Keeps every log line, with its metadata, in memory.
struct CapturingLogHandler: LogHandler {
    let lines: Guarded<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let keys = (event.metadata ?? [:]).keys.sorted().joined(separator: ",")
        lines.withLock { $0.append("\(event.level) \(event.message) [\(keys)]") }
    }
}
