import ArgumentParser
import Foundation
import RdKafka

/// `rdkafka groups reset-offsets`: kafka-consumer-groups --reset-offsets, a dry run unless
/// `--execute`.
struct GroupsResetOffsetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-offsets",
        abstract: "Move a group's committed offsets; shows the plan, applies it only with --execute.",
        discussion: """
            The group must have no active members for --execute to succeed.

            Examples:
              rdkafka groups reset-offsets billing --topic orders --to-earliest
              rdkafka groups reset-offsets billing --topic orders:0,1 --shift-by -100 --execute
              rdkafka groups reset-offsets billing --all-topics --to-datetime 2026-12-01T00:00:00Z --execute
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The group.")
    var group: String

    @Option(name: .customLong("topic"), help: ArgumentHelp("A topic, or topic:0,1,... (repeatable).", valueName: "topic"))
    var topics: [String] = []

    @Flag(help: "Every topic the group has committed offsets for.")
    var allTopics = false

    @Flag(help: "To each partition's earliest offset.")
    var toEarliest = false

    @Flag(help: "To each partition's end.")
    var toLatest = false

    @Option(help: ArgumentHelp("To the first record at or after this time (ISO 8601 or ms since epoch).", valueName: "time"))
    var toDatetime: String?

    // Unconditional: the value is often negative (--shift-by -100).
    @Option(parsing: .unconditional, help: ArgumentHelp("Move the committed offsets by N (negative: back).", valueName: "N"))
    var shiftBy: Int64?

    @Option(help: ArgumentHelp("To this offset.", valueName: "offset"))
    var toOffset: Int64?

    @Flag(help: "Apply the plan (default: only show it).")
    var execute = false

    func validate() throws {
        _ = try target()
        if topics.isEmpty == !allTopics { throw ValidationError("name the partitions: --topic (repeatable) or --all-topics") }
        for topic in topics { _ = try CommandLineValues.topicPartitions(topic, option: "--topic") }
        if let toOffset, toOffset < 0 { throw ValidationError("--to-offset must not be negative") }
    }

    func target() throws -> OffsetResetPlan.Target {
        var targets: [OffsetResetPlan.Target] = []
        if toEarliest { targets.append(.earliest) }
        if toLatest { targets.append(.latest) }
        if let toDatetime { targets.append(.datetime(try CommandLineValues.timestamp(toDatetime, option: "--to-datetime"))) }
        if let shiftBy { targets.append(.shift(shiftBy)) }
        if let toOffset { targets.append(.offset(toOffset)) }
        guard targets.count == 1, let target = targets.first else {
            throw ValidationError("name exactly one of --to-earliest, --to-latest, --to-datetime, --shift-by, --to-offset")
        }
        return target
    }

    func run() async throws {
        let connection = try connection.connect()
        let target = try target()
        let plan = try await connection.withAdmin { admin in
            let partitions = try await selectedPartitions(admin: admin, connection: connection)
            guard !partitions.isEmpty else { throw CLIFailure("group '\(group)' has no committed offsets to reset") }
            let committed: [TopicPartition: Int64]
            let watermarks: [TopicPartition: Result<Watermarks, KafkaError>]
            do {
                committed = try await admin.listConsumerGroupOffsets(group, partitions: partitions)
                watermarks = try await admin.watermarks(of: partitions)
            } catch {
                throw CLIFailure(error, while: "reading the offsets of group '\(group)'")
            }
            var marks: [TopicPartition: Watermarks] = [:]
            for (partition, result) in watermarks {
                do { marks[partition] = try result.get() } catch { throw CLIFailure(error, while: "reading the offsets of \(partition)") }
            }
            var timeOffsets: [TopicPartition: Int64?] = [:]
            if case .datetime(let time) = target {
                timeOffsets = try await lookUpOffsets(at: time, partitions: partitions, connection: connection)
            }
            return OffsetResetPlan(target: target, partitions: partitions, committed: committed, watermarks: marks, timeOffsets: timeOffsets)
        }
        print(plan.table(group: group), terminator: "")
        guard execute else {
            Diagnostics.line("Dry run: nothing changed. Pass --execute to apply.")
            return
        }
        var offsets: [TopicPartition: Int64] = [:]
        for entry in plan.entries { offsets[entry.partition] = entry.new }
        let results = try await connection.withAdmin { admin in
            do { return try await admin.alterConsumerGroupOffsets(group, offsets: offsets) } catch {
                throw CLIFailure(error, while: "resetting the offsets of group '\(group)'")
            }
        }
        var failures = 0
        for (partition, result) in results.sorted(by: { $0.key < $1.key }) {
            if case .failure(let error) = result {
                failures += 1
                Diagnostics.line("rdkafka: \(partition): \(error.oneLine)")
            }
        }
        if failures > 0 { throw CLIFailure("\(failures) of \(results.count) partitions were not reset (has the group active members?)") }
        Diagnostics.line("Reset the offsets of group \(group) on \(results.count) partitions.")
    }

    private func selectedPartitions(admin: KafkaAdminClient, connection: Connection) async throws -> [TopicPartition] {
        if allTopics {
            do {
                return try await admin.listConsumerGroupOffsets(group).keys.sorted()
            } catch {
                throw CLIFailure(error, while: "reading the committed offsets of group '\(group)'")
            }
        }
        let selections = try topics.map { try CommandLineValues.topicPartitions($0, option: "--topic") }
        let counts = try await TopicCheck.require(selections.map(\.topic), admin: admin, connection: connection)
        var partitions: Set<TopicPartition> = []
        for selection in selections {
            let count = counts[selection.topic] ?? 0
            for partition in selection.partitions ?? (0..<Int32(count)).map({ $0 }) {
                guard partition < count else { throw CLIFailure("topic '\(selection.topic)' has no partition \(partition) (it has \(count))") }
                partitions.insert(TopicPartition(topic: selection.topic, partition: partition))
            }
        }
        return partitions.sorted()
    }

    /// The offset of each partition's first record at or after `time` (`nil`: none that recent).
    private func lookUpOffsets(at time: KafkaTimestamp, partitions: [TopicPartition], connection: Connection) async throws -> [TopicPartition: Int64?] {
        let what = "looking up offsets for \(time.millisecondsSinceEpoch) ms"
        let specs = Dictionary(partitions.map { ($0, OffsetSpec.timestamp(time)) }, uniquingKeysWith: { first, _ in first })
        let listed = try await connection.withAdmin { admin in
            do { return try await admin.listOffsets(specs, timeout: connection.timeout) } catch { throw CLIFailure(error, while: what) }
        }
        var offsets: [TopicPartition: Int64?] = [:]
        for partition in partitions {
            guard let result = listed[partition] else { throw CLIFailure("no offset answered for \(partition) while \(what)") }
            do { offsets[partition] = try result.get() } catch { throw CLIFailure(error, while: what) }
        }
        return offsets
    }
}
