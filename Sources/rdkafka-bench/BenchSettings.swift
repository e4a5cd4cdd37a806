import RdKafka

/// The resolved settings of one benchmark run: the command line with the suite's defaults
/// (short or `--full`) filled in. Both sides of every workload are built from this, so the
/// Swift producer and the C producer always get the same librdkafka properties.
struct BenchSettings: Sendable {
    var bootstrapServers: [String]
    var embedded: Bool
    var count: Int
    var size: Int
    var keys: Bool
    var acks: ProducerConfiguration.Acks
    var idempotence: Bool
    var compression: ProducerConfiguration.Compression
    var lingerMilliseconds: Int
    var partitions: Int
    /// Measured rounds per workload; one warm-up round more is run and discarded.
    var rounds: Int
    /// Records kept in flight by the pipelined-await workload.
    var inFlight: Int
    /// Records sent one by one by the latency workload (and its linger).
    var latencyCount: Int
    var latencyLingerMilliseconds: Int
    /// Records consumed per consume run (capped by what the topic still holds).
    var consumeCount: Int
    var consumeBatchSize: Int
    /// Tasks of the await-per-task workload, the records they send in all, and its linger.
    var tasks: Int
    var taskRecordCount: Int
    var tasksLingerMilliseconds: Int
    var workloads: Set<WorkloadFamily>
    var topicPrefix: String
    /// Set by `--tracing`; see ``BenchTracer``.
    var tracer: BenchTracer?
    /// Set by `--disable-tracing`: the Swift clients get `TracingConfiguration.disabled`.
    var tracingDisabled = false

    /// The librdkafka properties both producers get, in a fixed order.
    func producerProperties(lingerMilliseconds linger: Int? = nil) -> [(String, String)] {
        var properties: [(String, String)] = [
            ("acks", acksValue),
            ("linger.ms", String(linger ?? lingerMilliseconds)),
            ("compression.type", compression.rawValue),
            // The Swift producer's default partitioner; set on the C side too so both hash alike.
            ("partitioner", "murmur2_random"),
        ]
        if idempotence { properties.append(("enable.idempotence", "true")) }
        return properties
    }

    /// The Swift producer's configuration, equivalent to ``producerProperties(lingerMilliseconds:)``.
    func producerConfiguration(lingerMilliseconds linger: Int? = nil) -> ProducerConfiguration {
        var configuration = ProducerConfiguration(
            bootstrapServers: bootstrapServers,
            acks: acks,
            enableIdempotence: idempotence ? true : nil,
            linger: .milliseconds(linger ?? lingerMilliseconds),
            compression: compression,
            partitioner: .javaCompatible
        )
        configuration.maxBlock = .seconds(300)
        if let tracer { configuration.tracing = .enabled(tracer: tracer) }
        if tracingDisabled { configuration.tracing = .disabled }
        return configuration
    }

    var acksValue: String {
        switch acks {
        case .zero: return "0"
        case .one: return "1"
        case .all: return "all"
        }
    }

    /// One line naming the settings, for the report header.
    var summary: String {
        "\(count) records x \(size) B, keys \(keys ? "k<i%1000>" : "none"), acks=\(acksValue), "
            + "idempotence=\(idempotence), compression=\(compression.rawValue), linger.ms=\(lingerMilliseconds), "
            + "\(partitions) partitions, \(rounds) rounds (+1 warm-up), \(inFlight) in flight; "
            + "latency: \(latencyCount) one by one at linger.ms=\(latencyLingerMilliseconds); "
            + "consume: up to \(consumeCount) keyed records from 32 partitions, batches of \(consumeBatchSize); "
            + "await-per-task: \(tasks) tasks, \(taskRecordCount) records at linger.ms=\(tasksLingerMilliseconds)"
    }
}

/// Groups of workloads that can be selected with `--workloads`.
enum WorkloadFamily: String, CaseIterable, Sendable, Codable {
    case produce
    case latency
    /// Many tasks, each awaiting its own sends (``TaskWorkload``).
    case tasks
    /// Consuming with assigned partitions (no group protocol).
    case consume
    /// Consuming in a consumer group (subscribe), as most applications do. Every round
    /// joins a new group, which takes the embedded cluster about 3 s, outside the window.
    case group

    /// The short suite (`make run`, under a minute) leaves out `group`: its joins alone
    /// would take a minute.
    static let short: [WorkloadFamily] = [.produce, .latency, .tasks, .consume]
}
