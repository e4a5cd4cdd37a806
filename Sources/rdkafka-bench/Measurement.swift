import CRdKafkaBench

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time on the wall clock and on the process's CPU clock, taken with the same
/// functions, in the same order, as the C side (`crk_mark_now` in crk_bench_common.c), so the Swift
/// and C windows are measured identically.
struct Mark {
    var wall: Double
    var user: Double
    var system: Double
    /// The process's heap allocations so far (`crk_allocation_count`), -1 when not counted.
    var allocations: Int64

    static func now() -> Mark {
        let allocations = crk_allocation_count()
        var user = 0.0
        var system = 0.0
        crk_cpu_seconds(&user, &system)
        return Mark(wall: crk_monotonic_seconds(), user: user, system: system, allocations: allocations)
    }
}

/// What one run of one side of a workload measured.
struct Sample: Sendable {
    /// Records delivered (produce) or received (consume) without error.
    var messages: Int64
    /// Value bytes of those records; keys are not counted (as on the C side).
    var bytes: Int64
    var elapsedSeconds: Double
    var cpuUserSeconds: Double
    var cpuSystemSeconds: Double
    /// The process's peak resident set (getrusage ru_maxrss) right after the run, in KiB.
    var peakRSSKiB: Int
    /// Per-record latencies in microseconds, for latency workloads.
    var latenciesMicros: [Double] = []
    /// Heap allocations of the whole process over the window; `nil` when not counted.
    var allocations: Int64?

    init(messages: Int64, bytes: Int64, from start: Mark, to end: Mark, latenciesMicros: [Double] = []) {
        self.messages = messages
        self.bytes = bytes
        self.elapsedSeconds = end.wall - start.wall
        self.cpuUserSeconds = end.user - start.user
        self.cpuSystemSeconds = end.system - start.system
        self.peakRSSKiB = Self.peakRSSKiB()
        self.latenciesMicros = latenciesMicros
        self.allocations = start.allocations < 0 ? nil : end.allocations - start.allocations
    }

    init(_ result: crk_result, latenciesMicros: [Double] = []) {
        self.messages = result.messages
        self.bytes = result.bytes
        self.elapsedSeconds = result.elapsed_seconds
        self.cpuUserSeconds = result.cpu_user_seconds
        self.cpuSystemSeconds = result.cpu_system_seconds
        self.peakRSSKiB = Self.peakRSSKiB()
        self.latenciesMicros = latenciesMicros
        self.allocations = result.allocations < 0 ? nil : result.allocations
    }

    var messagesPerSecond: Double { elapsedSeconds > 0 ? Double(messages) / elapsedSeconds : 0 }
    var megabytesPerSecond: Double { elapsedSeconds > 0 ? Double(bytes) / elapsedSeconds / 1_000_000 : 0 }
    var cpuMicrosPerRecord: Double {
        messages > 0 ? (cpuUserSeconds + cpuSystemSeconds) * 1e6 / Double(messages) : 0
    }

    var allocationsPerRecord: Double? {
        guard let allocations, messages > 0 else { return nil }
        return Double(allocations) / Double(messages)
    }

    /// ru_maxrss is in KiB on Linux (bytes on macOS).
    static func peakRSSKiB() -> Int {
        var usage = rusage()
        #if os(Linux)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        #if canImport(Darwin)
        return Int(usage.ru_maxrss) / 1024
        #else
        return Int(usage.ru_maxrss)
        #endif
    }
}

/// A benchmark failure: a side that could not finish, or a bad option combination.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
