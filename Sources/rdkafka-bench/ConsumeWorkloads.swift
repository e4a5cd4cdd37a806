/// Consume workloads (poll, batch poll, AsyncSequence) against `crk_bench_consume`.
///
/// They need the Swift consumer, which is not on this branch yet; until it is, the suite
/// reports them as skipped. When it lands, this file loads a 32-partition topic and adds
/// one ``Workload`` per consume style.
enum ConsumeWorkloads {
    static let unavailableReason = "consume workloads: the Swift KafkaConsumer is not in this build yet"

    static func make(settings: BenchSettings, environment: BenchEnvironment, progress: Progress) async throws -> [any Workload] {
        []
    }
}
