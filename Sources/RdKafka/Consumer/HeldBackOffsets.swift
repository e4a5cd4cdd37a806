import Logging

/// Keeps librdkafka's stored offsets (what a commit without offsets, auto commit and close
/// commit) from running ahead of the records the consumer holds back.
///
/// Why: with `enable.auto.offset.store` on, librdkafka stores a record's offset as it hands
/// the record over. A batch read that meets a malformed record returns the records before
/// it and holds the error and the records after it for the next calls (see
/// ``ConsumerPoller``); librdkafka has stored offsets past all of them. Had the application
/// committed and stopped after the error, those records would be committed without ever
/// having been returned, and no reader would see them again. So the stored offset of each
/// held-back partition goes back to its first held-back entry, and forward again as the
/// entries are returned (or their errors thrown, which skips those records).
///
/// When the library stores offsets (``OffsetStorage/library``, the default) nothing was
/// stored for the held-back entries, so there is nothing to move back: each is stored only
/// as it is returned. When the application stores them itself, this is not built.
final class HeldBackOffsets: Sendable {
    private let native: NativeConsumer
    private let logger: Logger
    /// Whether librdkafka stored the held-back entries' offsets as it handed them over.
    private let storedOnRead: Bool

    init(native: NativeConsumer, logger: Logger, storedOnRead: Bool) {
        self.native = native
        self.logger = logger
        self.storedOnRead = storedOnRead
    }

    /// Entries were held back: stores each partition's lowest offset among them, if
    /// librdkafka has stored past them.
    func heldBack(_ offsets: some Sequence<TopicPartitionOffset>) {
        guard storedOnRead else { return }
        store(Self.extreme(offsets, keepingLower: true))
    }

    /// Held-back entries were returned (or thrown): stores, per partition, the offset after
    /// the highest of them.
    func released(_ offsets: some Sequence<TopicPartitionOffset>) {
        store(Self.extreme(offsets, keepingLower: false).map { TopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: $0.offset + 1) })
    }

    private func store(_ offsets: [TopicPartitionOffset]) {
        guard !offsets.isEmpty, let error = native.overrideStoredOffsets(offsets) else { return }
        // The held-back records stay readable by this consumer; only a commit before they are
        // read could now skip them.
        logger.warning(
            "could not move the stored offset to the records held back after an error",
            metadata: ["offsets": "\(offsets)", "error": "\(error)"]
        )
    }

    private static func extreme(_ offsets: some Sequence<TopicPartitionOffset>, keepingLower: Bool) -> [TopicPartitionOffset] {
        var byPartition: [TopicPartition: Int64] = [:]
        for entry in offsets where entry.offset >= 0 {
            let partition = TopicPartition(topic: entry.topic, partition: entry.partition)
            if let known = byPartition[partition], keepingLower ? known <= entry.offset : known >= entry.offset { continue }
            byPartition[partition] = entry.offset
        }
        return byPartition.map { TopicPartitionOffset($0.key, offset: $0.value) }
    }
}
