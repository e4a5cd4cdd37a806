/// One record header: a name and optional bytes.
///
/// A record carries its headers as an ordered list in which a name may repeat, exactly as
/// Kafka stores them.
public struct RecordHeader: Sendable, Hashable {
    public var key: String
    /// The header's bytes; `nil` is a null header value, distinct from an empty one.
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    /// A header whose value is the UTF-8 encoding of `value`.
    public init(key: String, value: String) {
        self.key = key
        self.value = Array(value.utf8)
    }
}

extension Array where Element == RecordHeader {
    /// The value of the last header called `key`, as Kafka clients conventionally read it.
    public func lastValue(forKey key: String) -> [UInt8]?? {
        last(where: { $0.key == key }).map(\.value)
    }
}
