import CRdKafkaBench
import RdKafka

/// Consume throughput: the Swift consumer's three ways to read against `crk_bench_consume`.
///
/// Both sides read a 32-partition topic loaded once before the runs, assigning every
/// partition from the beginning (no group protocol, so no join time), with
/// `queued.min.messages=1000000` (librdkafka 2.0.2 otherwise pauses fetching for up to a
/// second at a time, and the figures would measure that pause). The timed window is the C
/// side's: from the return of the first record to the return of the last one counted.
enum ConsumeWorkloads {
    /// Partitions of the consume topic on the embedded cluster.
    static let partitions = 32

    /// Loads the topic and returns the poll, batch and AsyncSequence workloads.
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
        return ConsumeMode.allCases.map {
            ConsumeWorkload(mode: $0, settings: settings, topic: topic, partitions: partitionCount, count: count)
        }
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

    static func consumerConfiguration(_ settings: BenchSettings) -> ConsumerConfiguration {
        var configuration = ConsumerConfiguration(
            bootstrapServers: settings.bootstrapServers,
            groupID: "rdkafka-bench-\(UInt64.random(in: 0...UInt64.max))",
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
    let settings: BenchSettings
    let topic: String
    let partitions: Int
    let count: Int

    var id: String { "consume.\(mode.rawValue)" }

    var swiftDescription: String {
        switch mode {
        case .poll: return "poll(timeout:)"
        case .batch: return "poll(maxRecords: \(settings.consumeBatchSize), timeout:)"
        case .asyncSequence: return "for try await in records"
        }
    }

    var cDescription: String {
        mode == .batch ? "rd_kafka_consume_batch_queue(\(settings.consumeBatchSize))" : "rd_kafka_consumer_poll"
    }

    func runC() async throws -> Sample {
        let strings = CStrings()
        let properties = strings.make([("queued.min.messages", "1000000")])
        var options = crk_consume_options()
        options.bootstrap_servers = strings.make(settings.bootstrapServers.joined(separator: ","))
        options.topic = strings.make(topic)
        options.group_id = nil
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
        try consumer.assign((0..<partitions).map { TopicPartition(topic: topic, partition: Int32($0)) })
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
