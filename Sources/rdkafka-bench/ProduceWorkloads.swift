import CRdKafkaBench
import RdKafka
import Synchronization

/// The records a Swift produce run sends, prepared before the timed window, as the C side
/// formats its 1000 keys and fills its one value buffer before timing starts.
struct ProduceInput: Sendable {
    let topic: String
    let value: [UInt8]
    let keys: [[UInt8]]?

    init(topic: String, settings: BenchSettings) {
        self.topic = topic
        self.value = [UInt8](repeating: UInt8(ascii: "x"), count: settings.size)
        self.keys = settings.keys ? (0..<1000).map { Array("k\($0)".utf8) } : nil
    }

    @inline(__always)
    func record(_ index: Int) -> ProducerRecord<[UInt8], [UInt8]> {
        ProducerRecord(topic: topic, key: keys?[index % 1000], value: value)
    }
}

/// How the Swift side hands records to the producer.
enum ProduceMode: String, Sendable {
    /// `sendAndForget`; counterpart: C fire-and-forget (a counting dr_msg_cb).
    case fireAndForget = "fire-and-forget"
    /// `send(_:onDelivery:)` checking each outcome; counterpart: C callback mode.
    case callback
    /// `enqueue` keeping N records in flight, awaiting the oldest `PendingDelivery` before
    /// sending more; counterpart: C callback mode (a per-record completion, checked).
    case pipelined = "pipelined-await"
    /// Diagnostic (`--diagnostics`): `sendAndForget` against C fire-and-forget with its
    /// delivery reports served on librdkafka's background thread (CRK_PRODUCE_BACKGROUND),
    /// the design the Swift producer used before it served reports on the sending thread:
    /// kept to measure what that design costs.
    case backgroundReference = "fire-and-forget-vs-c-bg"

    /// The modes of the regular suite.
    static let suite: [ProduceMode] = [.fireAndForget, .callback, .pipelined]
}

/// Produce throughput: one mode of the Swift producer against the C producer.
struct ProduceWorkload: Workload {
    let mode: ProduceMode
    let settings: BenchSettings
    let topic: String

    var id: String { "produce.\(mode.rawValue)" }

    var swiftDescription: String {
        switch mode {
        case .fireAndForget, .backgroundReference: return "sendAndForget"
        case .callback: return "send(_:onDelivery:)"
        case .pipelined: return "enqueue, \(settings.inFlight) in flight"
        }
    }

    var cDescription: String {
        switch mode {
        case .fireAndForget: return "produceva + poll(0), counting dr_msg_cb"
        case .backgroundReference: return "produceva, reports counted on the background thread"
        case .callback, .pipelined: return "produceva + poll(0), per-message opaque checked"
        }
    }

    var throughputTarget: Double? {
        switch mode {
        case .fireAndForget, .callback: return 0.90
        case .pipelined: return 0.60
        case .backgroundReference: return nil
        }
    }

    func runC() async throws -> Sample {
        let cMode: crk_produce_mode
        switch mode {
        case .fireAndForget: cMode = CRK_PRODUCE_FIRE_AND_FORGET
        case .callback, .pipelined: cMode = CRK_PRODUCE_CALLBACK
        case .backgroundReference: cMode = CRK_PRODUCE_BACKGROUND
        }
        return try CProducer.run(settings: settings, topic: topic, count: settings.count, mode: cMode)
    }

    func runSwift() async throws -> Sample {
        switch mode {
        case .fireAndForget, .backgroundReference: return try await runFireAndForget()
        case .callback: return try await runCallback()
        case .pipelined: return try await runPipelined()
        }
    }

    /// The set-up of every Swift produce run, outside its timed window: a producer that has
    /// connected and knows the topic's partitions, as the C side's producer does before its
    /// window (see `warm_up_topic` in crk_bench_produce.c), and the records it will send.
    static func warmProducer(
        _ configuration: ProducerConfiguration,
        settings: BenchSettings,
        topic: String
    ) throws -> (producer: KafkaProducer<[UInt8], [UInt8]>, input: ProduceInput) {
        let producer = try KafkaProducer(configuration: configuration)
        _ = try producer.partitionCount(of: topic, timeout: .seconds(10))
        return (producer, ProduceInput(topic: topic, settings: settings))
    }

    /// Timed window as in C: from just before the first send until flush has returned.
    private func runFireAndForget() async throws -> Sample {
        let failureCount = FailureCounter()
        var configuration = settings.producerConfiguration()
        configuration.onDeliveryFailure = { _ in failureCount.add() }
        let (producer, input) = try Self.warmProducer(configuration, settings: settings, topic: topic)
        let count = settings.count

        let start = Mark.now()
        for index in 0..<count {
            try producer.sendAndForget(input.record(index))
        }
        try await producer.flush(timeout: .seconds(300))
        let end = Mark.now()
        await producer.close()

        let failed = failureCount.value
        if failed > 0 { throw BenchError("\(failed) of \(count) records failed delivery") }
        return Sample(messages: Int64(count), bytes: Int64(count) * Int64(settings.size), from: start, to: end)
    }

    private func runCallback() async throws -> Sample {
        let (producer, input) = try Self.warmProducer(settings.producerConfiguration(), settings: settings, topic: topic)
        let count = settings.count
        let tally = DeliveryTally(count: count)

        let start = Mark.now()
        for index in 0..<count {
            try producer.send(input.record(index)) { result in tally.report(index, result) }
        }
        try await producer.flush(timeout: .seconds(300))
        let end = Mark.now()
        await producer.close()

        let delivered = try tally.check()
        return Sample(messages: Int64(delivered), bytes: Int64(delivered) * Int64(settings.size), from: start, to: end)
    }

    /// Timed window: from just before the first enqueue until the last delivery was awaited.
    private func runPipelined() async throws -> Sample {
        let (producer, input) = try Self.warmProducer(settings.producerConfiguration(), settings: settings, topic: topic)
        let count = settings.count
        let window = max(1, settings.inFlight)
        var inFlight = [PendingDelivery?](repeating: nil, count: window)
        var delivered = 0

        let start = Mark.now()
        for index in 0..<count {
            let slot = index % window
            if let oldest = inFlight[slot] {
                _ = try await oldest.metadata
                delivered += 1
            }
            inFlight[slot] = try await producer.enqueue(input.record(index))
        }
        for slot in 0..<window {
            guard let pending = inFlight[(count + slot) % window] else { continue }
            _ = try await pending.metadata
            delivered += 1
        }
        let end = Mark.now()
        await producer.close()

        return Sample(messages: Int64(delivered), bytes: Int64(delivered) * Int64(settings.size), from: start, to: end)
    }
}

/// Counts `sendAndForget` failures, reported on the producer's report thread.
final class FailureCounter: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .acquiring) }
}

/// The Swift counterpart of the C callback mode's check: every record reported exactly
/// once, successfully.
final class DeliveryTally: Sendable {
    private struct State {
        var seen: [UInt8]
        var delivered = 0
        var failed = 0
        var anomalies = 0
        var firstError: KafkaError?
    }

    private let state: Mutex<State>
    private let count: Int

    init(count: Int) {
        self.count = count
        state = Mutex(State(seen: [UInt8](repeating: 0, count: count / 8 + 1)))
    }

    func report(_ index: Int, _ result: Result<RecordMetadata, KafkaError>) {
        state.withLock { state in
            let bit = UInt8(1) << UInt8(index & 7)
            guard index >= 0, index < count, state.seen[index >> 3] & bit == 0 else {
                state.anomalies += 1
                return
            }
            state.seen[index >> 3] |= bit
            switch result {
            case .success: state.delivered += 1
            case .failure(let error):
                state.failed += 1
                if state.firstError == nil { state.firstError = error }
            }
        }
    }

    /// The delivered count, or why the run does not count.
    func check() throws -> Int {
        try state.withLock { state in
            if state.failed > 0 {
                throw BenchError("\(state.failed) of \(count) records failed delivery, first: \(state.firstError.map { "\($0)" } ?? "?")")
            }
            if state.anomalies > 0 { throw BenchError("\(state.anomalies) delivery reports did not match their record") }
            if state.delivered != count { throw BenchError("\(count - state.delivered) of \(count) records got no delivery report") }
            return state.delivered
        }
    }
}

/// The raw-C producer workloads (Sources/CRdKafkaBench).
enum CProducer {
    static func withOptions<T>(
        settings: BenchSettings,
        topic: String,
        count: Int,
        mode: crk_produce_mode,
        lingerMilliseconds: Int? = nil,
        _ body: (inout crk_produce_options) throws -> T
    ) rethrows -> T {
        let strings = CStrings()
        let pairs = settings.producerProperties(lingerMilliseconds: lingerMilliseconds)
        let properties = strings.make(pairs)
        var options = crk_produce_options()
        options.bootstrap_servers = strings.make(settings.bootstrapServers.joined(separator: ","))
        options.topic = strings.make(topic)
        options.message_count = Int64(count)
        options.message_size = Int32(settings.size)
        options.key_mode = settings.keys ? CRK_KEY_STRING : CRK_KEY_NONE
        options.config_keys = UnsafePointer(properties.keys)
        options.config_values = UnsafePointer(properties.values)
        options.config_count = Int32(pairs.count)
        options.mode = mode
        options.timeout_seconds = 300
        return try withExtendedLifetime(strings) { try body(&options) }
    }

    static func run(
        settings: BenchSettings, topic: String, count: Int, mode: crk_produce_mode, lingerMilliseconds: Int? = nil
    ) throws -> Sample {
        try withOptions(settings: settings, topic: topic, count: count, mode: mode, lingerMilliseconds: lingerMilliseconds) { options in
            var result = crk_result()
            guard crk_bench_produce(&options, &result) == 0 else { throw BenchError(result.errorText) }
            return Sample(result)
        }
    }
}
