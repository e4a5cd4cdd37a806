import ArgumentParser
import CRdKafkaBench
import Foundation
import RdKafka

/// rdkafka-bench: the Swift library against the same workloads written in raw C, in one run.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rdkafka-bench",
        abstract: "Benchmarks swift-rdkafka against raw librdkafka C, alternating rounds.",
        discussion: """
            Without arguments: a short suite against an embedded 3-broker cluster that runs in a
            process of its own, as a user's broker does (under a minute).
            --full: 1 M x 100 B, linger 5 ms, acks=1, 3 partitions, 10 measured rounds, and
            the consumer-group workloads.
            Every workload runs a warm-up round (discarded), then alternates Swift and C.
            """
    )

    @Option(help: "Kafka brokers (host:port,...); default: an embedded cluster (see --broker).")
    var bootstrapServers: String?

    @Option(help: "Where the embedded cluster runs: process (its own, the default) or in-process.")
    var broker: BrokerPlacement = .process

    @Option(help: "Brokers of the embedded cluster.")
    var brokers: Int = 3

    /// The child side of `--broker process`; see ``BrokerServer``.
    @Flag(help: .hidden)
    var serveBroker = false

    @Option(help: "Records per produce run (default 300000; 1000000 with --full).")
    var count: Int?

    @Option(help: "Value size in bytes.")
    var size: Int = 100

    @Flag(help: "Send keys k<i % 1000> (pre-formatted on both sides).")
    var keys = false

    @Option(help: "acks: 0, 1 or all.")
    var acks: String = "1"

    @Flag(help: "enable.idempotence=true (needs --acks all).")
    var idempotence = false

    @Option(help: "compression.type: none, gzip, snappy, lz4, zstd.")
    var compression: String = "none"

    @Option(help: "linger.ms for the produce workloads.")
    var lingerMs: Int = 5

    @Option(help: "Partitions of the produce topics (embedded cluster only).")
    var partitions: Int = 3

    @Option(name: .customLong("repeat"), help: "Measured rounds per workload, after one warm-up round (default 4; 10 with --full).")
    var rounds: Int?

    // 10 000 in flight at linger.ms=5 bounded the run by the window, not the client: the
    // window refills only as each ~5 ms batch is acknowledged (~1.6 M/s at most), while the
    // C counterpart keeps up to queue.buffering.max.messages (100 000) in flight.
    @Option(help: "Records in flight for the pipelined-await workload (at most queue.buffering.max.messages, 100000).")
    var inFlight: Int = 50_000

    @Option(help: "Records sent one by one by the latency workload (default 1000; 5000 with --full).")
    var latencyCount: Int?

    @Option(help: "linger.ms for the latency workload.")
    var latencyLingerMs: Int = 0

    @Option(help: "Records per consume run, at most what the topic holds (default 200000; 1000000 with --full).")
    var consumeCount: Int?

    @Option(help: "Tasks of the await-per-task workload, each awaiting its own sends.")
    var tasks: Int = 1000

    @Option(help: "Records the await-per-task workload sends in all (default 100000; 1000000 with --full).")
    var taskCount: Int?

    // A service that awaits each send before answering sets linger.ms low, as the latency
    // workload does: at 5 ms every record resumed by one report waits out a linger again.
    @Option(help: "linger.ms for the await-per-task workload.")
    var tasksLingerMs: Int = 0

    @Option(help: "Workload families, comma-separated: produce, latency, tasks, consume, group (default: all but group; all with --full).")
    var workloads: String?

    @Option(help: "Prefix of the topics created for the run.")
    var topicPrefix: String = "rdkafka-bench"

    @Flag(help: "Add diagnostic workloads (C with delivery reports served on librdkafka's background thread).")
    var diagnostics = false

    @Option(help: "Run only the workloads whose id contains this text, e.g. fire-and-forget.")
    var filter: String?

    @Option(help: "Run only this side (swift or c), e.g. under a profiler; no ratios then.")
    var only: Side?

    @Flag(help: "Print the report as JSON on stdout instead of the table.")
    var json = false

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    @Flag(help: "The full suite: 1 M x 100 B, 10 rounds (minutes).")
    var full = false

    @Flag(help: "Trace every Swift send with an in-process tracer (no exporter); without it no tracer exists, and tracing costs a nil check.")
    var tracing = false

    @Flag(help: "Switch tracing off on the Swift clients (TracingConfiguration.disabled); without it they use the process's tracer, here the default no-op one.")
    var disableTracing = false

    mutating func validate() throws {
        if tracing, disableTracing { throw ValidationError("--tracing and --disable-tracing exclude each other") }
        guard ["0", "1", "all", "-1"].contains(acks) else { throw ValidationError("--acks must be 0, 1 or all") }
        guard ProducerConfiguration.Compression(rawValue: compression) != nil else {
            throw ValidationError("--compression must be none, gzip, snappy, lz4 or zstd")
        }
        if idempotence, acks != "all", acks != "-1" { throw ValidationError("--idempotence requires --acks all") }
        guard size >= 0, (count ?? 1) > 0, (rounds ?? 1) > 0, inFlight > 0, partitions > 0, (latencyCount ?? 1) > 0,
            brokers > 0, tasks > 0, (taskCount ?? 1) > 0
        else {
            throw ValidationError("counts, sizes, rounds, tasks, brokers and partitions must be positive")
        }
        for family in (workloads ?? "").split(separator: ",") where WorkloadFamily(rawValue: String(family)) == nil {
            throw ValidationError("unknown workload family '\(family)' (produce, latency, tasks, consume, group)")
        }
    }

    func run() async throws {
        if serveBroker { return try BrokerServer.run(brokers: brokers) }
        let environment = try BenchEnvironment(bootstrapServers: bootstrapServers, placement: broker, brokers: brokers)
        defer { environment.shutdown() }
        let settings = resolvedSettings(bootstrapServers: environment.bootstrapServers, embedded: environment.isEmbedded)
        var runner = Runner(rounds: settings.rounds, progress: Progress(quiet: quiet))
        if let only { runner.sides = [only] }

        var suite: [any Workload] = []
        let skipped: [String] = []
        if settings.workloads.contains(.produce) {
            let topic = try environment.topic("produce", prefix: settings.topicPrefix, partitions: settings.partitions)
            suite += ProduceMode.suite.map { ProduceWorkload(mode: $0, settings: settings, topic: topic) }
            if diagnostics { suite.append(ProduceWorkload(mode: .backgroundReference, settings: settings, topic: topic)) }
        }
        if settings.workloads.contains(.latency) {
            let topic = try environment.topic("latency", prefix: settings.topicPrefix, partitions: settings.partitions)
            suite.append(LatencyWorkload(settings: settings, topic: topic))
        }
        if settings.workloads.contains(.tasks) {
            let topic = try environment.topic("tasks", prefix: settings.topicPrefix, partitions: settings.partitions)
            suite.append(TaskWorkload(settings: settings, topic: topic))
        }
        if !settings.workloads.isDisjoint(with: [.consume, .group]) {
            suite += try await ConsumeWorkloads.make(settings: settings, environment: environment, progress: runner.progress)
        }

        if let filter { suite = suite.filter { $0.id.contains(filter) } }
        var results: [WorkloadSummary] = []
        for workload in suite {
            results.append(WorkloadSummary(try await runner.run(workload)))
        }

        var notes = [
            "CPU is getrusage(RUSAGE_SELF) over each timed window: librdkafka's threads and every Swift thread count.",
        ]
        if environment.isInProcess {
            notes.append("The embedded broker runs in this process, so its CPU and allocations are in both sides' figures, charged equally.")
        } else if environment.isEmbedded {
            notes.append("The embedded broker runs in a process of its own: the figures hold only the client's CPU and allocations.")
        }
        notes.append("allocs/rec: heap allocations of the whole process over the window, per record (malloc interposed, see crk_bench_alloc.c).")
        if settings.tracer != nil {
            notes.append("Tracing (--tracing): each Swift send starts a span, writes a traceparent header and ends the span on its delivery report; the C side sends no header.")
        } else if settings.tracingDisabled {
            notes.append("Tracing switched off per client (--disable-tracing, TracingConfiguration.disabled); each Swift send pays one nil check.")
        } else {
            notes.append("Tracing: the default no-op tracer, as in a process that bootstrapped none; each Swift send pays one nil check.")
        }
        notes.append("RSS is ru_maxrss, the process's high-water mark so far (both sides share one process).")
        let report = Report(
            librdkafkaVersion: String(cString: crk_librdkafka_version()),
            broker: environment.brokerDescription,
            settings: settings.summary,
            machine: .current(),
            notes: notes,
            workloads: results,
            skipped: skipped
        )
        print(json ? try report.json() : report.table())
    }

    private func resolvedSettings(bootstrapServers: [String], embedded: Bool) -> BenchSettings {
        BenchSettings(
            bootstrapServers: bootstrapServers,
            embedded: embedded,
            count: count ?? (full ? 1_000_000 : 300_000),
            size: size,
            keys: keys,
            acks: acks == "0" ? .zero : acks == "1" ? .one : .all,
            idempotence: idempotence,
            compression: ProducerConfiguration.Compression(rawValue: compression) ?? .uncompressed,
            lingerMilliseconds: lingerMs,
            partitions: partitions,
            rounds: rounds ?? (full ? 10 : 4),
            inFlight: inFlight,
            latencyCount: latencyCount ?? (full ? 5_000 : 1_000),
            latencyLingerMilliseconds: latencyLingerMs,
            consumeCount: consumeCount ?? (full ? 1_000_000 : 200_000),
            consumeBatchSize: 1000,
            tasks: tasks,
            taskRecordCount: taskCount ?? (full ? 1_000_000 : 100_000),
            tasksLingerMilliseconds: tasksLingerMs,
            workloads: workloads.map { Set($0.split(separator: ",").compactMap { WorkloadFamily(rawValue: String($0)) }) }
                ?? Set(full ? WorkloadFamily.allCases : WorkloadFamily.short),
            topicPrefix: topicPrefix,
            tracer: tracing ? BenchTracer() : nil,
            tracingDisabled: disableTracing
        )
    }
}
