import Foundation
import Logging
import RdKafka
import Tracing

// The code in docs/admin.md and docs/observability.md, kept compiling. These functions are
// never called: most need a real cluster. If they stop compiling, fix the guides too.

private func adminGuide(admin: KafkaAdminClient) async throws {
    let results = try await admin.createTopics([
        NewTopic(name: "orders", partitions: 12, replicationFactor: 3, configs: ["min.insync.replicas": "2"]),
        NewTopic(name: "orders-dlq", partitions: 1, replicationFactor: 3, configs: ["retention.ms": "1209600000"]),
    ])
    for (topic, result) in results {
        switch result {
        case .success: print("created \(topic)")
        case .failure(let error) where error.code == .topicAlreadyExists: print("\(topic) exists")
        case .failure(let error): print("\(topic): \(error)")
        }
    }
    try await admin.createTopic(NewTopic(name: "audit", partitions: 3))
    _ = try await admin.createPartitions(["orders": 24])
    try await admin.deleteTopic("audit")

    let configs = try await admin.describeConfigs([.topic("orders"), .broker(1)])
    let orders = try configs[.topic("orders")]!.get()
    print(orders["retention.ms"]?.value ?? "-", orders["retention.ms"]?.source ?? .unknown)
    let altered = try await admin.alterConfigs([.topic("orders"): ["retention.ms": "604800000", "min.insync.replicas": "2"]])
    try altered[.topic("orders")]!.get()

    let cluster = try await admin.metadata()
    for broker in cluster.brokers { print(broker.id, broker.host, broker.port) }
    for partition in cluster.topic(named: "orders")?.partitions ?? [] {
        print(partition.id, "leader", partition.leader, "replicas", partition.replicas, "isr", partition.inSyncReplicas)
    }
    _ = try await admin.watermarks(of: [TopicPartition(topic: "orders", partition: 0)])

    let description = try await admin.describeCluster()
    print(description.clusterID ?? "-", "controller", description.controllerID ?? -1, description.brokers.count, "brokers")
    let topics = try await admin.describeTopics(["orders"])
    let ordersTopic = try topics["orders"]!.get()
    print(ordersTopic.partitions.count, "partitions, retention", ordersTopic.configs["retention.ms"]?.value ?? "-")
    let zero = TopicPartition(topic: "orders", partition: 0)
    let one = TopicPartition(topic: "orders", partition: 1)
    let anHourAgo = KafkaTimestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000) - 3_600_000)
    let offsets = try await admin.listOffsets([zero: .earliest, one: .timestamp(anHourAgo)])
    print(try offsets[zero]!.get() ?? -1, try offsets[one]!.get() ?? -1)   // nil: no record that recent

    _ = try await admin.listConsumerGroups()
    let described = try await admin.describeConsumerGroups(["billing"])
    let billing = try described["billing"]!.get()
    print(billing.state, billing.partitionAssignor, billing.members.map(\.assignment))
    _ = try await admin.listConsumerGroupOffsets("billing")
    _ = try await admin.alterConsumerGroupOffsets("billing", offsets: [TopicPartition(topic: "orders", partition: 0): 1000])
    let lag = try await admin.consumerGroupLag("billing")
    print("billing is \(lag.totalLag) records behind")
    for (partition, entry) in lag.partitions { print(partition, entry.committedOffset, entry.highWatermark, entry.lag) }
    _ = try await admin.deleteConsumerGroups(["old-group"])
    _ = try await admin.deleteRecords(before: [TopicPartition(topic: "orders", partition: 0): 5000])
}

private struct TraceHeader<Key: Sendable, Value: Sendable>: ProducerInterceptor {
    func onSend(_ record: ProducerRecord<Key, Value>) throws -> ProducerRecord<Key, Value> {
        var record = record
        record.headers.append(RecordHeader(key: "traceparent", value: Array("00-trace".utf8)))
        return record
    }

    func onAcknowledgement(_ result: Result<RecordMetadata, KafkaError>) throws {
        if case .failure(let error) = result { print(error) }
    }
}

private func observabilityGuide(servers: [String]) throws {
    var configuration = ProducerConfiguration(bootstrapServers: servers)
    configuration.logger = Logger(label: "kafka.orders")
    configuration.logger.logLevel = .notice
    configuration.onError = { error in
        if error.isFatal { print("restart") } else if error.code == .allBrokersDown { print("alert") }
    }
    configuration.statisticsInterval = .seconds(15)
    configuration.onStatistics = { stats in
        for broker in stats.brokers where !broker.isUp { print("\(broker.name) is \(broker.state)") }
        if let orders = stats.topic(named: "orders") { print(orders.batchSize.avg) }
    }
    configuration.metrics = StatisticsMetricsOptions(namePrefix: "kafka", dimensions: [("service", "billing")])
    _ = try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string, interceptors: [TraceHeader()])
}

private func tracingGuide(
    consumer: KafkaConsumer<String, String>,
    configuration: inout ProducerConfiguration,
    myTracer: any Tracer,
    handle: (String) async throws -> Void
) async throws {
    for try await record in consumer.records {
        try await consumer.withSpan(for: record) { span in
            try await handle(record.value)
        }
    }
    try await consumer.records.forEachInSpan { record in
        try await handle(record.value)
    }
    configuration.tracing = .disabled
    configuration.tracing = .enabled(tracer: myTracer)
    configuration.tracing.replacesRecordTraceContext = true
    configuration.tracing.processSpanRelation = .link
}
