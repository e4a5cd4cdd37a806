import RdKafka

/// What every produced record shares — topic, partition, key or key delimiter, headers —
/// and how one input record's bytes become a ``ProducerRecord``.
struct RecordTemplate {
    var topic: String
    var partition: Int32?
    /// The key of every record (`-k`).
    var key: [UInt8]?
    /// Splits each input record into key and value at its first occurrence (`-K`); an input
    /// record without it is sent without a key.
    var keyDelimiter: [UInt8]?
    var headers: [RecordHeader]

    func record(from bytes: [UInt8], splittingKey: Bool) -> ProducerRecord<[UInt8], [UInt8]> {
        var key = self.key
        var value = bytes
        if splittingKey, let keyDelimiter, let range = Self.firstRange(of: keyDelimiter, in: bytes) {
            key = Array(bytes[..<range.lowerBound])
            value = Array(bytes[range.upperBound...])
        }
        return ProducerRecord(topic: topic, partition: partition, key: key, value: value, headers: headers)
    }

    static func firstRange(of needle: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return start..<(start + needle.count) }
        }
        return nil
    }
}
