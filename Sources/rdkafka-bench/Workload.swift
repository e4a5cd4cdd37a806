import ArgumentParser

/// One benchmark workload, written twice: through the Swift library and in raw C.
///
/// Each side sets up its own client (outside the timed window), runs once, tears down, and
/// returns what it measured. A side throws when the run did not complete correctly (a lost
/// or failed record): a figure from a broken run is not a figure.
protocol Workload: Sendable {
    /// Stable identifier, used in the JSON output, e.g. `produce.fire-and-forget`.
    var id: String { get }
    /// What the Swift side does, for the table.
    var swiftDescription: String { get }
    /// What the C side does, for the table.
    var cDescription: String { get }
    /// The least Swift/C ratio of median msgs/s this workload should reach, if any.
    var throughputTarget: Double? { get }
    /// The most the Swift p99 latency may exceed the C one, in microseconds, if any.
    var p99MarginMicros: Double? { get }
    /// The most the Swift p50 latency may exceed the C one, in microseconds, if any.
    var p50MarginMicros: Double? { get }
    /// The least Swift median msgs/s, for a goal stated in records per second.
    var swiftRateTarget: Double? { get }

    func runSwift() async throws -> Sample
    func runC() async throws -> Sample
}

extension Workload {
    var throughputTarget: Double? { nil }
    var p99MarginMicros: Double? { nil }
    var p50MarginMicros: Double? { nil }
    var swiftRateTarget: Double? { nil }
}

enum Side: String, Codable, Sendable, ExpressibleByArgument {
    case swift
    case c
}

/// All rounds of one workload: the warm-up round is already dropped.
struct WorkloadResult: Sendable {
    var workload: any Workload
    var swift: [Sample]
    var c: [Sample]
}

/// Runs every workload for a warm-up round and then the measured rounds, alternating which
/// side goes first in each round so that neither side always runs on a warmer (or more
/// fragmented) process.
struct Runner {
    var rounds: Int
    var progress: Progress
    /// Both sides normally; one side alone for profiling.
    var sides: Set<Side> = [.swift, .c]

    func run(_ workload: any Workload) async throws -> WorkloadResult {
        var swift: [Sample] = []
        var c: [Sample] = []
        for round in 0...rounds {
            let order: [Side] = round % 2 == 0 ? [.swift, .c] : [.c, .swift]
            for side in order where sides.contains(side) {
                let label = round == 0 ? "warm-up" : "round \(round)/\(rounds)"
                progress.show("\(workload.id): \(label), \(side == .swift ? "Swift" : "C")")
                let sample: Sample
                do {
                    sample = side == .swift ? try await workload.runSwift() : try await workload.runC()
                } catch {
                    progress.clear()
                    throw BenchError("\(workload.id) (\(side == .swift ? "Swift" : "C"), \(label)): \(error)")
                }
                guard round > 0 else { continue }
                if side == .swift { swift.append(sample) } else { c.append(sample) }
            }
        }
        progress.clear()
        return WorkloadResult(workload: workload, swift: swift, c: c)
    }
}
