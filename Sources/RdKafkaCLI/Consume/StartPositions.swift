import RdKafka

/// Turns standalone `consume` selections into concrete start offsets per partition, from the
/// partitions' watermarks (and a time lookup for `s@` starts).
enum StartPositions {
    static func resolve(
        _ selections: [TopicSelection],
        defaultStart: StartOffset,
        partitionCounts: [String: Int],
        admin: KafkaAdminClient,
        consumer: KafkaConsumer<[UInt8], [UInt8]?>
    ) async throws -> [TopicPartitionOffset] {
        var starts: [TopicPartition: StartOffset] = [:]
        for selection in selections {
            let count = partitionCounts[selection.topic] ?? 0
            if let partition = selection.partition, partition >= count {
                throw CLIFailure("topic '\(selection.topic)' has no partition \(partition) (it has \(count))")
            }
            let partitions = selection.partition.map { [$0] } ?? (0..<Int32(count)).map { $0 }
            for partition in partitions {
                starts[TopicPartition(topic: selection.topic, partition: partition)] = selection.offset ?? defaultStart
            }
        }
        let partitions = starts.keys.sorted()
        let watermarks: [TopicPartition: Result<Watermarks, KafkaError>]
        do {
            watermarks = try await admin.watermarks(of: partitions)
        } catch {
            throw CLIFailure(error, while: "reading the partitions' offsets")
        }
        var times: [TopicPartition: KafkaTimestamp] = [:]
        for (partition, start) in starts {
            if case .timestamp(let time) = start { times[partition] = time }
        }
        var timeOffsets: [TopicPartition: Int64?] = [:]
        if !times.isEmpty {
            do {
                timeOffsets = try consumer.offsetsForTimes(times)
            } catch {
                throw CLIFailure(error, while: "looking up offsets by time")
            }
        }
        return try partitions.map { partition in
            guard let result = watermarks[partition] else {
                throw CLIFailure("no offsets for \(partition)")
            }
            let marks: Watermarks
            do { marks = try result.get() } catch { throw CLIFailure(error, while: "reading the offsets of \(partition)") }
            let start = starts[partition] ?? defaultStart
            return TopicPartitionOffset(partition, offset: start.resolve(marks, timestampOffset: timeOffsets[partition]))
        }
    }
}
