import CRdKafka
import Foundation

/// Topic names of consumed records, created once per topic instead of once per record.
///
/// Owned by the single reader (see `ConsumerLifecycle.beginPoll`), so it needs no lock. A
/// handle asked about belongs to a live message, which keeps it alive; librdkafka may free
/// a handle once its messages are gone and reuse the address for another topic, so a cached
/// name is used only while the handle's own name still matches it.
final class NativeTopicNames {
    private struct Entry {
        let cName: [CChar]
        let name: String
    }

    @exclusivity(unchecked) private var entries: [OpaquePointer: Entry] = [:]
    @exclusivity(unchecked) private var last: (handle: OpaquePointer, entry: Entry)?

    func name(of handle: OpaquePointer) -> String {
        // Never nil: librdkafka returns the name stored in the (live) handle.
        let cName = rd_kafka_topic_name(handle)!
        if let last, last.handle == handle, strcmp(last.entry.cName, cName) == 0 { return last.entry.name }
        let entry: Entry
        if let known = entries[handle], strcmp(known.cName, cName) == 0 {
            entry = known
        } else {
            let length = strlen(cName)
            entry = Entry(cName: Array(UnsafeBufferPointer(start: cName, count: length + 1)), name: String(cString: cName))
            entries[handle] = entry
        }
        last = (handle, entry)
        return entry.name
    }
}

/// A consumed record's fields, read out of librdkafka's message without copying its key and
/// value: they point into the message and are valid until its batch is released. Plain
/// Swift values, so the generic, caller-specialized code that deserializes them never
/// touches a C type.
@usableFromInline
struct ConsumedMessage {
    @usableFromInline let topic: String
    @usableFromInline let partition: Int32
    @usableFromInline let offset: Int64
    /// `nil` when the record has no key.
    @usableFromInline let key: UnsafeRawBufferPointer?
    /// `nil` for a null value.
    @usableFromInline let value: UnsafeRawBufferPointer?
    @usableFromInline let timestamp: KafkaTimestamp?
    @usableFromInline let timestampKind: KafkaTimestamp.Kind
    @usableFromInline let headers: [RecordHeader]

    init(_ message: UnsafeMutablePointer<rd_kafka_message_t>, topic: String, readsHeaders: Bool) {
        self.topic = topic
        partition = message.pointee.partition
        offset = message.pointee.offset
        key = message.pointee.key.map { UnsafeRawBufferPointer(start: $0, count: message.pointee.key_len) }
        value = message.pointee.payload.map { UnsafeRawBufferPointer(start: $0, count: message.pointee.len) }
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &type)
        if type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE {
            timestamp = nil
            timestampKind = .notAvailable
        } else {
            timestamp = KafkaTimestamp(millisecondsSinceEpoch: milliseconds)
            timestampKind = NativeMessages.timestampKind(type)
        }
        headers = readsHeaders ? NativeConsumedMessage.headers(of: message) : []
    }
}

/// Reading the parts of a consumed message that need librdkafka calls.
enum NativeConsumedMessage {
    /// The headers. librdkafka 2.0 allocates (and frees) a parse buffer to read the header
    /// count of a consumed record, even when it is zero.
    static func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [RecordHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        return headers(in: list)
    }

    /// The headers of a librdkafka header list, in order; the list stays the caller's.
    static func headers(in list: OpaquePointer) -> [RecordHeader] {
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
    static func error(of message: UnsafeMutablePointer<rd_kafka_message_t>, topic: String?) -> KafkaError {
        let code = message.pointee.err
        var text = NativeErrors.message(of: code.rawValue)
        if let detail = rd_kafka_message_errstr(message) {
            let detailText = String(cString: detail)
            if detailText != text { text += ": " + detailText }
        }
        var error = KafkaError(code: KafkaError.Code(rawValue: code.rawValue), message: text)
        if let topic {
            let offset = message.pointee.offset
            error = error.concerning(topic: topic, partition: message.pointee.partition, offset: offset >= 0 ? offset : nil)
        }
        return error
    }
}
