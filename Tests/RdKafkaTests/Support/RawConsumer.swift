import CRdKafka
import Foundation
import RdKafka

/// A record read back with librdkafka's C API directly, independent of the library under test.
struct RawRecord: Sendable, Equatable {
    var partition: Int32
    var offset: Int64
    var key: [UInt8]?
    var value: [UInt8]?
    var timestamp: Int64
    var headers: [RecordHeader]

    /// The value as UTF-8 text; a null value reads as empty.
    var valueText: String { String(decoding: value ?? [], as: UTF8.self) }
}

/// Reads every partition of a topic from the beginning, without a consumer group.
enum RawConsumer {
    /// Reads until `count` records arrived, `last` returned true for one (the last record
    /// written: in a single partition read in offset order, everything before it that can be
    /// read has been), or `timeout` passed.
    static func readAll(
        topic: String,
        count: Int,
        bootstrapServers: [String],
        timeout: Duration = .seconds(30),
        until last: (RawRecord) -> Bool = { _ in false }
    ) throws -> [RawRecord] {
        let conf = rd_kafka_conf_new()
        var errors = [CChar](repeating: 0, count: 512)
        for (key, value) in [
            "bootstrap.servers": bootstrapServers.joined(separator: ","),
            "group.id": "raw-\(UUID().uuidString)",
            "enable.auto.commit": "false",
            "enable.partition.eof": "false",
        ] {
            rd_kafka_conf_set(conf, key, value, &errors, errors.count)
        }
        guard let consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, &errors, errors.count) else {
            throw TestSetupError("raw consumer: \(String(decoding: errors.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        defer {
            rd_kafka_consumer_close(consumer)
            rd_kafka_destroy(consumer)
        }
        // Partition count from metadata.
        let topicHandle = rd_kafka_topic_new(consumer, topic, nil)
        defer { rd_kafka_topic_destroy(topicHandle) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        guard rd_kafka_metadata(consumer, 0, topicHandle, &metadata, 10_000) == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw TestSetupError("raw consumer: metadata failed")
        }
        let partitionCount = metadata.pointee.topics[0].partition_cnt
        rd_kafka_metadata_destroy(metadata)

        let list = rd_kafka_topic_partition_list_new(partitionCount)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for partition in 0..<partitionCount {
            rd_kafka_topic_partition_list_add(list, topic, partition).pointee.offset = Int64(RD_KAFKA_OFFSET_BEGINNING)
        }
        rd_kafka_assign(consumer, list)

        var records: [RawRecord] = []
        let deadline = ContinuousClock.now + TestDeadline.scaled(timeout)
        while records.count < count, ContinuousClock.now < deadline {
            guard let message = rd_kafka_consumer_poll(consumer, 100) else { continue }
            defer { rd_kafka_message_destroy(message) }
            guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            records.append(record(from: message))
            if last(records[records.count - 1]) { break }
        }
        return records
    }

    private static func record(from message: UnsafeMutablePointer<rd_kafka_message_t>) -> RawRecord {
        let m = message.pointee
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) }
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &type)
        var headers: [RecordHeader] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>?
            var valuePointer: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &valuePointer, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append(RecordHeader(
                    key: String(cString: name!),
                    value: valuePointer.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                ))
                index += 1
            }
        }
        return RawRecord(partition: m.partition, offset: m.offset, key: key, value: value, timestamp: timestamp, headers: headers)
    }
}
