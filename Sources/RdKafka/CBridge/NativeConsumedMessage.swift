import CRdKafka
import Foundation

/// Topic names of consumed records, created once per topic instead of once per record.
///
/// Owned by the single poller (see `ConsumerLifecycle.beginPoll`), so it needs no lock.
final class NativeTopicNames {
    private struct Entry {
        let cName: [CChar]
        let name: String
    }

    private var entries: [OpaquePointer: Entry] = [:]
    private var lastHandle: OpaquePointer?
    private var lastName = ""

    /// Forgets the one-entry fast path; called before each batch, as librdkafka may free a
    /// topic handle between batches and reuse its address.
    func startBatch() { lastHandle = nil }

    func name(of handle: OpaquePointer) -> String {
        if handle == lastHandle { return lastName }
        let cName = rd_kafka_topic_name(handle)!
        let name: String
        if let entry = entries[handle], strcmp(entry.cName, cName) == 0 {
            name = entry.name
        } else {
            name = String(cString: cName)
            let length = strlen(cName)
            entries[handle] = Entry(cName: Array(UnsafeBufferPointer(start: cName, count: length + 1)), name: name)
        }
        lastHandle = handle
        lastName = name
        return name
    }
}

/// A view of one message librdkafka returned to the consumer, valid until it is destroyed.
struct NativeConsumedMessage {
    let message: UnsafeMutablePointer<rd_kafka_message_t>
    /// `nil` for errors not tied to a topic.
    let topic: String?

    var partition: Int32 { message.pointee.partition }
    var offset: Int64 { message.pointee.offset }
    var isError: Bool { message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR }
    var isPartitionEOF: Bool { message.pointee.err == RD_KAFKA_RESP_ERR__PARTITION_EOF }

    /// The key bytes; `nil` when the record has no key.
    var key: UnsafeRawBufferPointer? {
        guard let key = message.pointee.key else { return nil }
        return UnsafeRawBufferPointer(start: key, count: message.pointee.key_len)
    }

    /// The value bytes; `nil` for a null value.
    var payload: UnsafeRawBufferPointer? {
        guard let payload = message.pointee.payload else { return nil }
        return UnsafeRawBufferPointer(start: payload, count: message.pointee.len)
    }

    var timestamp: (KafkaTimestamp?, KafkaTimestamp.Kind) {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &type)
        if type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE { return (nil, .notAvailable) }
        return (KafkaTimestamp(millisecondsSinceEpoch: milliseconds), NativeMessages.timestampKind(type))
    }

    /// The headers; no allocation when there are none.
    var headers: [RecordHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        let count = rd_kafka_header_cnt(list)
        var headers: [RecordHeader] = []
        headers.reserveCapacity(count)
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        for index in 0..<count where rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            headers.append(RecordHeader(
                key: name.map { String(cString: $0) } ?? "",
                value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            ))
        }
        return headers
    }

    /// The error an error message carries, with its coordinates.
    var error: KafkaError {
        let code = message.pointee.err
        var text = NativeErrors.message(of: code.rawValue)
        if let detail = rd_kafka_message_errstr(message) {
            let detailText = String(cString: detail)
            if detailText != text { text += ": " + detailText }
        }
        var error = KafkaError(code: KafkaError.Code(rawValue: code.rawValue), message: text)
        if topic != nil {
            error = error.concerning(topic: topic, partition: partition, offset: offset >= 0 ? offset : nil)
        }
        return error
    }
}
