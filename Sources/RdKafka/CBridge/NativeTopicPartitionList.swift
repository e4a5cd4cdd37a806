import CRdKafka
import Foundation

/// librdkafka's special offsets, as the C header defines them.
enum NativeOffset {
    static let beginning: Int64 = -2
    static let end: Int64 = -1
    static let stored: Int64 = -1000
    static let invalid: Int64 = -1001

    /// The special offset reading starts at for librdkafka's `auto.offset.reset` value;
    /// `nil` for `error`, which starts nowhere.
    static func reset(for policy: String?) -> Int64? {
        switch policy {
        case "smallest", "earliest", "beginning": return beginning
        case "error": return nil
        default: return end
        }
    }
}

/// An owned `rd_kafka_topic_partition_list_t`, destroyed exactly once, with conversions to
/// and from the Swift value types.
final class NativeTopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: max(capacity, 1)))
    }

    /// Takes ownership of a list librdkafka allocated for the caller.
    init(adopting pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    convenience init(_ partitions: some Collection<TopicPartition>, offset: Int64 = NativeOffset.invalid) {
        self.init(capacity: partitions.count)
        for partition in partitions { add(partition.topic, partition.partition, offset: offset) }
    }

    convenience init(_ offsets: some Collection<TopicPartitionOffset>) {
        self.init(capacity: offsets.count)
        for entry in offsets {
            let element = add(entry.topic, entry.partition, offset: entry.offset)
            if let metadata = entry.metadata {
                let bytes = Array(metadata.utf8)
                // malloc returns nil only when memory is exhausted, where Swift's own
                // allocations trap as well.
                let copy = malloc(max(bytes.count, 1))!
                bytes.withUnsafeBytes { source in
                    if let base = source.baseAddress { copy.copyMemory(from: base, byteCount: source.count) }
                }
                // librdkafka frees the metadata with the list.
                element.pointee.metadata = copy
                element.pointee.metadata_size = bytes.count
            }
        }
    }

    /// Topic names, unlike partitions, may be regular expressions in a subscription.
    convenience init(topics: [String]) {
        self.init(capacity: topics.count)
        for topic in topics { add(topic, -1, offset: NativeOffset.invalid) }
    }

    @discardableResult
    func add(_ topic: String, _ partition: Int32, offset: Int64) -> UnsafeMutablePointer<rd_kafka_topic_partition_t> {
        // Never nil: the call grows the list (librdkafka aborts when an allocation fails).
        let element = rd_kafka_topic_partition_list_add(pointer, topic, partition)!
        element.pointee.offset = offset
        return element
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    var count: Int { Int(pointer.pointee.cnt) }

    var partitions: [TopicPartition] { Self.partitions(of: pointer) }

    var offsets: [TopicPartitionOffset] {
        elements.map { element in
            var metadata: String?
            if let bytes = element.metadata, element.metadata_size > 0 {
                metadata = String(decoding: UnsafeRawBufferPointer(start: bytes, count: element.metadata_size), as: UTF8.self)
            }
            return TopicPartitionOffset(
                topic: String(nativeCString: element.topic),
                partition: element.partition,
                offset: element.offset,
                metadata: metadata
            )
        }
    }

    /// Topic names only, for a subscription.
    var topics: [String] { elements.map { String(nativeCString: $0.topic) } }

    /// The first per-partition error librdkafka set in the list, with its partition named.
    func firstError(context: String) -> KafkaError? {
        for element in elements where element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            return NativeErrors.error(element.err, context: context, topic: String(nativeCString: element.topic), partition: element.partition)
        }
        return nil
    }

    /// The partitions librdkafka answered with `code`.
    func partitionsWithError(_ code: rd_kafka_resp_err_t) -> [TopicPartition] {
        elements.filter { $0.err == code }.map { TopicPartition(topic: String(nativeCString: $0.topic), partition: $0.partition) }
    }

    private var elements: UnsafeBufferPointer<rd_kafka_topic_partition_t> {
        UnsafeBufferPointer(start: pointer.pointee.elems, count: count)
    }

    /// The partitions of a list librdkafka lends to a callback.
    static func partitions(of list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [TopicPartition] {
        guard let list else { return [] }
        return UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)).map {
            TopicPartition(topic: String(nativeCString: $0.topic), partition: $0.partition)
        }
    }
}
