import RdKafka

/// Where `groups reset-offsets` moves a group's committed offsets, computed without I/O from
/// what the cluster reported, so a dry run and `--execute` show and apply the same plan.
struct OffsetResetPlan: Equatable {
    enum Target: Equatable {
        case earliest
        case latest
        /// The first record at or after a time; the end where no record is that recent.
        case datetime(KafkaTimestamp)
        /// The committed offset moved by this many records (negative: back).
        case shift(Int64)
        case offset(Int64)
    }

    struct Entry: Equatable {
        var partition: TopicPartition
        /// The group's committed offset; `nil` when it has none.
        var current: Int64?
        var new: Int64
    }

    var entries: [Entry]

    /// - Parameters:
    ///   - committed: the group's committed offsets (partitions without one are absent).
    ///   - timeOffsets: for `.datetime`, each partition's offset for that time (`nil`: none).
    /// New offsets are kept within each partition's watermarks. A shift from no committed
    /// offset starts at the end, where a group without commits would start by default.
    init(
        target: Target,
        partitions: [TopicPartition],
        committed: [TopicPartition: Int64],
        watermarks: [TopicPartition: Watermarks],
        timeOffsets: [TopicPartition: Int64?] = [:]
    ) {
        entries = partitions.sorted().compactMap { partition in
            guard let marks = watermarks[partition] else { return nil }
            let current = committed[partition]
            let wanted: Int64
            switch target {
            case .earliest: wanted = marks.low
            case .latest: wanted = marks.high
            case .datetime: wanted = (timeOffsets[partition] ?? nil) ?? marks.high
            case .shift(let delta):
                let (sum, overflow) = (current ?? marks.high).addingReportingOverflow(delta)
                wanted = overflow ? (delta > 0 ? .max : .min) : sum
            case .offset(let offset): wanted = offset
            }
            return Entry(partition: partition, current: current, new: min(max(wanted, marks.low), marks.high))
        }
    }

    /// The plan as a table: the same for a dry run and an executed reset.
    func table(group: String) -> String {
        var table = TextTable(header: ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET"])
        for entry in entries {
            table.append([group, entry.partition.topic, String(entry.partition.partition), entry.current.map(String.init) ?? "-", String(entry.new)])
        }
        return table.render()
    }
}
