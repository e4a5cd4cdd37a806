import CRdKafkaBench
import RdKafka

/// Delivery latency, and the throughput of awaiting each send before the next.
///
/// Records go strictly one at a time: the Swift side `await`s `send` before sending the
/// next, the C side (`crk_bench_delivery_latency`) polls until the previous delivery report
/// was served. Each latency runs from just before the send call to the moment the result is
/// in the caller's hands: the C delivery report callback, the Swift task resuming after
/// `await` (so the Swift figure includes the hop from the producer's report thread back
/// to the awaiting task, which is part of what a Swift user waits for). It runs at its own
/// linger (0 by default): with a linger, every record would just wait it out.
struct LatencyWorkload: Workload {
    let settings: BenchSettings
    let topic: String

    var id: String { "latency.await-one-by-one" }
    var swiftDescription: String { "await send, one by one" }
    var cDescription: String { "produceva, poll until its report" }
    var p99MarginMicros: Double? { 1000 }
    /// Issue 22: a request/response service awaiting each send waits at most 20 µs longer
    /// than C at the median.
    var p50MarginMicros: Double? { 20 }

    func runC() async throws -> Sample {
        let count = settings.latencyCount
        return try CProducer.withOptions(
            settings: settings, topic: topic, count: count, mode: CRK_PRODUCE_FIRE_AND_FORGET,
            lingerMilliseconds: settings.latencyLingerMilliseconds
        ) { options in
            var latencies = [Double](repeating: 0, count: count)
            var result = crk_result()
            let status = latencies.withUnsafeMutableBufferPointer { buffer in
                crk_bench_delivery_latency(&options, buffer.baseAddress, Int64(count), &result)
            }
            guard status == 0 else { throw BenchError(result.errorText) }
            return Sample(result, latenciesMicros: Array(latencies.prefix(Int(min(result.messages, Int64(count))))))
        }
    }

    func runSwift() async throws -> Sample {
        let (producer, input) = try ProduceWorkload.warmProducer(
            settings.producerConfiguration(lingerMilliseconds: settings.latencyLingerMilliseconds), settings: settings, topic: topic
        )
        let count = settings.latencyCount
        var latencies = [Double]()
        latencies.reserveCapacity(count)

        let start = Mark.now()
        for index in 0..<count {
            let sentAt = crk_monotonic_seconds()
            _ = try await producer.send(input.record(index))
            latencies.append((crk_monotonic_seconds() - sentAt) * 1e6)
        }
        try await producer.flush(timeout: .seconds(300))
        let end = Mark.now()
        await producer.close()

        return Sample(
            messages: Int64(count), bytes: Int64(count) * Int64(settings.size),
            from: start, to: end, latenciesMicros: latencies
        )
    }
}
