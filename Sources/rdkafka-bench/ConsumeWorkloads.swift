import CRdKafkaBench
import RdKafka

/// Consume throughput: the Swift consumer's three ways to read against `crk_bench_consume`.
///
/// Both sides read a 32-partition topic loaded once before the runs, with
/// `queued.min.messages=1000000` (librdkafka 2.0.2 otherwise pauses fetching for up to a
/// second at a time, and the figures would measure that pause). The `consume` family
/// assigns every partition from the beginning (no group protocol); the `group` family
/// subscribes in a new consumer group each run, as applications do, which is where the
/// async sequence has to keep its commit guarantee. The timed window is the C side's:
/// from the return of the first record to the return of the last one counted, so a
/// group's join stays outside it.
enum ConsumeWorkloads {
    /// Partitions of the consume topic on the embedded cluster.
    static let partitions = 32

    /// Loads the topic and returns the poll, batch and AsyncSequence workloads (assigned),
    /// and the batch and AsyncSequence workloads in a group, as `settings.workloads` asks.
    static func make(settings: BenchSettings, environment: BenchEnvironment, progress: Progress) async throws -> [any Workload] {
        let topic = try environment.topic("consume", prefix: settings.topicPrefix, partitions: partitions)
        progress.show("consume: loading \(settings.consumeCount) records into \(topic)")
        // Keyed, so the records spread over all partitions: keyless (sticky) batches would
        // pile onto a few, and the mock evicts beyond ~5 MiB per partition.
        var loading = settings
        loading.keys = true
        _ = try CProducer.run(settings: loading, topic: topic, count: settings.consumeCount, mode: CRK_PRODUCE_FIRE_AND_FORGET)
        // An external cluster creates the topic with its own default partition count.
        let producer = try KafkaProducer(configuration: settings.producerConfiguration())
        let partitionCount = try producer.partitionCount(of: topic)
        await producer.close()
        let available = try await recordsAvailable(in: topic, partitions: partitionCount, settings: settings)
        progress.clear()
        guard available > 0 else { throw BenchError("the consume topic \(topic) holds no records after loading") }
        let count = Int(min(Int64(settings.consumeCount), available))
        var workloads: [any Workload] = []
        if settings.workloads.contains(.consume) {
            workloads += ConsumeMode.allCases.map {
                ConsumeWorkload(mode: $0, group: false, settings: settings, topic: topic, partitions: partitionCount, count: count)
            }
        }
        if settings.workloads.contains(.group) {
            workloads += [ConsumeMode.batch, .asyncSequence].map {
                ConsumeWorkload(mode: $0, group: true, settings: settings, topic: topic, partitions: partitionCount, count: count)
            }
        }
        return workloads
    }

    /// The sum of high - low watermarks over the topic's partitions: what the log still holds.
    static func recordsAvailable(in topic: String, partitions: Int, settings: BenchSettings) async throws -> Int64 {
        let consumer = try KafkaConsumer(configuration: consumerConfiguration(settings))
        var total: Int64 = 0
        for partition in 0..<partitions {
            total += try consumer.queryWatermarks(TopicPartition(topic: topic, partition: Int32(partition))).recordCount
        }
        await consumer.close()
        return total
    }

    static func newGroupID() -> String { "rdkafka-bench-\(UInt64.random(in: 0...UInt64.max))" }

    static func consumerConfiguration(_ settings: BenchSettings) -> ConsumerConfiguration {
        var configuration = ConsumerConfiguration(
            bootstrapServers: settings.bootstrapServers,
            groupID: newGroupID(),
            autoOffsetReset: .earliest,
            enableAutoCommit: false
        )
        configuration.queuedMinMessages = 1_000_000
        // The C side reads keys and values, never headers; reading them costs librdkafka 2.0
        // an allocation per record even when there are none (see ConsumerConfiguration).
        configuration.readsHeaders = false
        return configuration
    }
}

enum ConsumeMode: String, Sendable, CaseIterable {
    /// `poll(timeout:)`, one record per call; counterpart: `rd_kafka_consumer_poll`.
    case poll
    /// `poll(maxRecords:timeout:)`; counterpart: `rd_kafka_consume_batch_queue`, same size.
    case batch
    /// `for try await record in consumer.records`; counterpart: `rd_kafka_consumer_poll`.
    case asyncSequence = "async-sequence"
}

struct ConsumeWorkload: Workload {
    let mode: ConsumeMode
    /// Subscribed in a consumer group of its own (a new one each run), not assigned.
    let group: Bool
    let settings: BenchSettings
    let topic: String
    let partitions: Int
    let count: Int

    var id: String { group ? "consume.group.\(mode.rawValue)" : "consume.\(mode.rawValue)" }

    var swiftDescription: String {
        let read: String
        switch mode {
        case .poll: read = "poll(timeout:)"
        case .batch: read = "poll(maxRecords: \(settings.consumeBatchSize), timeout:)"
        case .asyncSequence: read = "for try await in records"
        }
        return group ? "subscribe, \(read)" : read
    }

    var cDescription: String {
        let read = mode == .batch ? "rd_kafka_consume_batch_queue(\(settings.consumeBatchSize))" : "rd_kafka_consumer_poll"
        return group ? "subscribe, \(read)" : read
    }

    /// Issue 22: in a group, the async sequence ≥ 0.90× C and batch poll ≥ 1.0×.
    var throughputTarget: Double? {
        guard group else { return nil }
        return mode == .batch ? 1.0 : 0.90
    }

    func runC() async throws -> Sample {
        let strings = CStrings()
        let properties = strings.make([("queued.min.messages", "1000000")])
        var options = crk_consume_options()
        options.bootstrap_servers = strings.make(settings.bootstrapServers.joined(separator: ","))
        options.topic = strings.make(topic)
        let groupID = group ? strings.make(ConsumeWorkloads.newGroupID()) : nil
        options.group_id = groupID
        options.message_count = Int64(count)
        options.batch_size = mode == .batch ? Int32(settings.consumeBatchSize) : 0
        options.timeout_seconds = 120
        options.config_keys = UnsafePointer(properties.keys)
        options.config_values = UnsafePointer(properties.values)
        options.config_count = 1
        var result = crk_result()
        let status = crk_bench_consume(&options, &result)
        withExtendedLifetime(strings) {}
        guard status == 0 else { throw BenchError(result.errorText) }
        return Sample(result)
    }

    func runSwift() async throws -> Sample {
        let consumer = try KafkaConsumer(configuration: ConsumeWorkloads.consumerConfiguration(settings))
        if group {
            try consumer.subscribe(topics: [topic])
        } else {
            try consumer.assign((0..<partitions).map { TopicPartition(topic: topic, partition: Int32($0)) })
        }
        let deadline = crk_monotonic_seconds() + 120
        var received = 0
        var bytes = 0
        var start: Mark?

        switch mode {
        case .poll:
            while received < count, crk_monotonic_seconds() < deadline {
                guard let record = try consumer.poll(timeout: .milliseconds(100)) else { continue }
                if start == nil { start = Mark.now() }
                received += 1
                bytes += record.value.count
            }
        case .batch:
            while received < count, crk_monotonic_seconds() < deadline {
                let records = try consumer.poll(maxRecords: settings.consumeBatchSize, timeout: .milliseconds(100))
                guard !records.isEmpty else { continue }
                if start == nil { start = Mark.now() }
                received += records.count
                for record in records { bytes += record.value.count }
            }
        case .asyncSequence:
            // The sequence waits as long as it takes; the timeout is the caller's business.
            let watchdog = Task {
                try await Task.sleep(for: .seconds(120))
                consumer.wakeup()
            }
            defer { watchdog.cancel() }
            for try await record in consumer.records {
                if start == nil { start = Mark.now() }
                received += 1
                bytes += record.value.count
                if received >= count { break }
            }
        }
        let end = Mark.now()
        await consumer.close()

        guard let start, received >= count else {
            throw BenchError("timed out after \(received) of \(count) records")
        }
        return Sample(messages: Int64(received), bytes: Int64(bytes), from: start, to: end)
    }
}
