import CRdKafka
import Foundation

/// Reads a consumer group's committed offsets with librdkafka's C API directly,
/// independent of the library under test.
enum RawGroupOffsets {
    /// The committed offset of `group` for `topic`-`partition`, or nil if none is committed.
    static func committed(group: String, topic: String, partition: Int32, bootstrapServers: [String]) throws -> Int64? {
        let conf = rd_kafka_conf_new()
        var errors = [CChar](repeating: 0, count: 512)
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrapServers.joined(separator: ","), &errors, errors.count)
        rd_kafka_conf_set(conf, "group.id", group, &errors, errors.count)
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", &errors, errors.count)
        guard let consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, &errors, errors.count) else {
            throw TestSetupError("raw group reader: \(String(decoding: errors.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        defer { rd_kafka_destroy(consumer) }
        let list = rd_kafka_topic_partition_list_new(1)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        rd_kafka_topic_partition_list_add(list, topic, partition)
        let error = rd_kafka_committed(consumer, list, 10_000)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let entry = list?.pointee.elems else {
            throw TestSetupError("committed offsets: \(String(cString: rd_kafka_err2str(error)))")
        }
        return entry.pointee.offset >= 0 ? entry.pointee.offset : nil
    }
}
