import Foundation
import Histogram

/// min / median / max of one figure over the measured rounds.
struct Spread: Codable, Sendable {
    var min: Double
    var median: Double
    var max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        min = sorted.first ?? 0
        max = sorted.last ?? 0
        if sorted.isEmpty {
            median = 0
        } else if sorted.count % 2 == 1 {
            median = sorted[sorted.count / 2]
        } else {
            median = (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }
}

/// Latency percentiles over all measured rounds, in microseconds (HdrHistogram, 3 digits).
struct LatencySummary: Codable, Sendable {
    var count: UInt64
    var p50: Double
    var p99: Double
    var p999: Double
    var max: Double

    init?(_ samples: [Sample]) {
        var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
        for sample in samples {
            for latency in sample.latenciesMicros {
                _ = histogram.record(UInt64(Swift.max(1, latency.rounded())))
            }
        }
        guard histogram.totalCount > 0 else { return nil }
        count = histogram.totalCount
        p50 = Double(histogram.valueAtPercentile(50))
        p99 = Double(histogram.valueAtPercentile(99))
        p999 = Double(histogram.valueAtPercentile(99.9))
        max = Double(histogram.max)
    }
}

/// One side of one workload, over the measured rounds.
struct SideSummary: Codable, Sendable {
    var description: String
    var rounds: Int
    var messagesPerRound: Double
    var messagesPerSecond: Spread
    /// msgs/s of each measured round, in the order run.
    var messagesPerSecondByRound: [Double]
    var megabytesPerSecond: Spread
    var cpuMicrosPerRecord: Spread
    /// ru_maxrss after this side's runs (the process-wide high-water mark), MiB.
    var peakRSSMiB: Double
    /// Median over the rounds of the process's heap allocations per record in the window
    /// (everything in the process allocates: the client, librdkafka, the runtime; with an
    /// in-process broker, the broker too). `nil` when not counted (sanitizer builds).
    var allocationsPerRecord: Double?
    var latencyMicros: LatencySummary?

    init(description: String, samples: [Sample]) {
        self.description = description
        rounds = samples.count
        messagesPerRound = samples.isEmpty ? 0 : Double(samples.map(\.messages).reduce(0, +)) / Double(samples.count)
        messagesPerSecond = Spread(samples.map(\.messagesPerSecond))
        messagesPerSecondByRound = samples.map { ($0.messagesPerSecond).rounded() }
        megabytesPerSecond = Spread(samples.map(\.megabytesPerSecond))
        cpuMicrosPerRecord = Spread(samples.map(\.cpuMicrosPerRecord))
        peakRSSMiB = Double(samples.map(\.peakRSSKiB).max() ?? 0) / 1024
        latencyMicros = LatencySummary(samples)
        let allocations = samples.compactMap(\.allocationsPerRecord)
        allocationsPerRecord = allocations.isEmpty || allocations.count < samples.count ? nil : Spread(allocations).median
    }
}

/// One workload: both sides, their ratio and whether it meets its target.
struct WorkloadSummary: Codable, Sendable {
    var id: String
    var swift: SideSummary
    var c: SideSummary
    /// Swift median msgs/s divided by C median msgs/s.
    var throughputRatio: Double
    /// Swift median CPU per record divided by C's (lower is better).
    var cpuRatio: Double
    var throughputTarget: Double?
    /// Swift p99 minus C p99, microseconds.
    var p99DeltaMicros: Double?
    var p99MarginMicros: Double?
    /// Swift p50 minus C p50, microseconds: what awaiting one send adds at the median.
    var p50DeltaMicros: Double?
    var p50MarginMicros: Double?
    /// The least Swift median msgs/s, for workloads with an absolute goal.
    var swiftRateTarget: Double?
    var meetsTarget: Bool?

    init(_ result: WorkloadResult) {
        let workload = result.workload
        id = workload.id
        swift = SideSummary(description: workload.swiftDescription, samples: result.swift)
        c = SideSummary(description: workload.cDescription, samples: result.c)
        throughputRatio = c.messagesPerSecond.median > 0 ? swift.messagesPerSecond.median / c.messagesPerSecond.median : 0
        cpuRatio = c.cpuMicrosPerRecord.median > 0 ? swift.cpuMicrosPerRecord.median / c.cpuMicrosPerRecord.median : 0
        throughputTarget = workload.throughputTarget
        p99MarginMicros = workload.p99MarginMicros
        p50MarginMicros = workload.p50MarginMicros
        swiftRateTarget = workload.swiftRateTarget
        if let swiftLatency = swift.latencyMicros, let cLatency = c.latencyMicros {
            p99DeltaMicros = swiftLatency.p99 - cLatency.p99
            p50DeltaMicros = swiftLatency.p50 - cLatency.p50
        }
        var checks: [Bool] = []
        if let target = throughputTarget { checks.append(throughputRatio >= target) }
        if let target = swiftRateTarget { checks.append(swift.messagesPerSecond.median >= target) }
        if let margin = p99MarginMicros, let delta = p99DeltaMicros { checks.append(delta <= margin) }
        if let margin = p50MarginMicros, let delta = p50DeltaMicros { checks.append(delta <= margin) }
        meetsTarget = swift.rounds == 0 || c.rounds == 0 || checks.isEmpty ? nil : !checks.contains(false)
    }
}

/// The whole run: what was measured, where, and how.
struct Report: Codable, Sendable {
    var tool = "rdkafka-bench"
    var librdkafkaVersion: String
    var broker: String
    var settings: String
    var machine: Machine
    var notes: [String]
    var workloads: [WorkloadSummary]
    var skipped: [String]

    struct Machine: Codable, Sendable {
        var processors: Int
        var cpuModel: String

        static func current() -> Machine {
            let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            let model = cpuInfo.split(separator: "\n")
                .first { $0.hasPrefix("model name") }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
            return Machine(processors: ProcessInfo.processInfo.activeProcessorCount, cpuModel: model)
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The table for people.
    func table() -> String {
        var lines: [String] = []
        lines.append("rdkafka-bench: Swift (RdKafka) against raw C (librdkafka \(librdkafkaVersion)), alternating rounds")
        lines.append("machine:  \(machine.processors) CPUs, \(machine.cpuModel)")
        lines.append("broker:   \(broker)")
        lines.append("settings: \(settings)")
        for note in notes { lines.append("note:     \(note)") }
        lines.append("")
        let header = [
            pad("workload", 30), pad("side", 6), lpad("msgs/s min", 11), lpad("median", 10), lpad("max", 10),
            lpad("MB/s", 7), lpad("CPU µs/rec", 11), lpad("allocs/rec", 11), lpad("RSS MiB", 8), "  Swift/C",
        ].joined()
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count + 16))
        for workload in workloads {
            for (index, side) in [workload.swift, workload.c].enumerated() {
                var row = [
                    pad(index == 0 ? workload.id : "", 30),
                    pad(index == 0 ? "Swift" : "C", 6),
                    lpad(rate(side.messagesPerSecond.min), 11),
                    lpad(rate(side.messagesPerSecond.median), 10),
                    lpad(rate(side.messagesPerSecond.max), 10),
                    lpad(fixed(side.megabytesPerSecond.median, 1), 7),
                    lpad(fixed(side.cpuMicrosPerRecord.median, 2), 11),
                    lpad(side.allocationsPerRecord.map { fixed($0, 2) } ?? "-", 11),
                    lpad(fixed(side.peakRSSMiB, 0), 8),
                ].joined()
                if workload.swift.rounds == 0 || workload.c.rounds == 0 {
                    // One side only (--only): no ratio.
                } else if index == 0 {
                    row += "  " + fixed(workload.throughputRatio, 2) + "x"
                    if let target = workload.throughputTarget {
                        row += " (target ≥ \(fixed(target, 2))x: \(workload.meetsTarget == true ? "met" : "MISSED"))"
                    } else if let target = workload.swiftRateTarget {
                        row += " (target Swift ≥ \(rate(target))/s: \(workload.meetsTarget == true ? "met" : "MISSED"))"
                    }
                } else {
                    row += "  CPU/rec \(fixed(workload.cpuRatio, 2))x"
                }
                lines.append(row)
            }
        }
        let latencies = workloads.filter { $0.swift.latencyMicros != nil }
        if !latencies.isEmpty {
            lines.append("")
            let header = [pad("latency (µs)", 30), pad("side", 6), lpad("records", 9), lpad("p50", 9), lpad("p99", 9), lpad("p99.9", 9), lpad("max", 9)].joined()
            lines.append(header)
            lines.append(String(repeating: "-", count: header.count + 16))
            for workload in latencies {
                for (index, side) in [workload.swift, workload.c].enumerated() {
                    guard let latency = side.latencyMicros else { continue }
                    var row = [
                        pad(index == 0 ? workload.id : "", 30), pad(index == 0 ? "Swift" : "C", 6),
                        lpad("\(latency.count)", 9), lpad(fixed(latency.p50, 0), 9), lpad(fixed(latency.p99, 0), 9),
                        lpad(fixed(latency.p999, 0), 9), lpad(fixed(latency.max, 0), 9),
                    ].joined()
                    if index == 0, let p50 = workload.p50DeltaMicros, let p99 = workload.p99DeltaMicros {
                        row += "  Swift−C p50 \(signed(p50)) µs, p99 \(signed(p99)) µs"
                        var targets: [String] = []
                        if let margin = workload.p50MarginMicros { targets.append("p50 ≤ +\(fixed(margin, 0)) µs") }
                        if let margin = workload.p99MarginMicros { targets.append("p99 ≤ +\(fixed(margin, 0)) µs") }
                        if !targets.isEmpty {
                            row += " (target \(targets.joined(separator: ", ")): \(workload.meetsTarget == true ? "met" : "MISSED"))"
                        }
                    }
                    lines.append(row)
                }
            }
        }
        for skip in skipped { lines.append("skipped:  \(skip)") }
        return lines.joined(separator: "\n")
    }
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

private func lpad(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
}

private func signed(_ value: Double) -> String {
    (value >= 0 ? "+" : "") + fixed(value, 0)
}

private func fixed(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

/// 1234567 -> "1235k"; small rates stay exact.
private func rate(_ value: Double) -> String {
    value >= 100_000 ? "\(Int((value / 1000).rounded()))k" : fixed(value, 0)
}
