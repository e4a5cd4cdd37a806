import CRdKafkaBench
import RdKafka

/// Many tasks sharing one producer, each awaiting its own sends one by one: a server
/// handling 1 000 requests at once, every handler sending a record and waiting for its
/// acknowledgement before answering.
///
/// Throughput comes from how many awaits are in flight at once (one per task), so it
/// measures the cost of a suspended send and its resumption. Its C counterpart is the
/// callback mode (a per-record completion, checked), the nearest thing C has to a waiter
/// per record; the goal is stated in Swift records per second (issue 22: ≥ 250 k/s). Both
/// sides run at `--tasks-linger-ms` (0 by default, as such a service would configure).
struct TaskWorkload: Workload {
    let settings: BenchSettings
    let topic: String

    var id: String { "produce.await-per-task" }
    var swiftDescription: String { "\(settings.tasks) tasks, each awaiting send" }
    var cDescription: String { "produceva + poll(0), per-message opaque checked" }
    var swiftRateTarget: Double? { 250_000 }

    var count: Int { settings.taskRecordCount }

    func runC() async throws -> Sample {
        try CProducer.run(
            settings: settings, topic: topic, count: count, mode: CRK_PRODUCE_CALLBACK, lingerMilliseconds: settings.tasksLingerMilliseconds
        )
    }

    /// Timed window: from just before the tasks start until the last one has its answer.
    func runSwift() async throws -> Sample {
        let (producer, input) = try ProduceWorkload.warmProducer(
            settings.producerConfiguration(lingerMilliseconds: settings.tasksLingerMilliseconds), settings: settings, topic: topic)
        let tasks = settings.tasks
        let count = self.count

        let start = Mark.now()
        let delivered = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var delivered = 0
                    var index = task
                    while index < count {
                        _ = try await producer.send(input.record(index))
                        delivered += 1
                        index += tasks
                    }
                    return delivered
                }
            }
            return try await group.reduce(0, +)
        }
        let end = Mark.now()
        await producer.close()

        guard delivered == count else { throw BenchError("\(count - delivered) of \(count) sends did not complete") }
        return Sample(messages: Int64(count), bytes: Int64(count) * Int64(settings.size), from: start, to: end)
    }
}
