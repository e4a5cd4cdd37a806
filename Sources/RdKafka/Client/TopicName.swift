/// Kafka's rules for topic names, checked before a name reaches librdkafka.
///
/// librdkafka passes any name to the broker, which refuses an illegal one only when the
/// record is delivered (or, on some brokers, creates it). Checking here turns a late,
/// broker-dependent failure into an immediate typed error.
enum TopicName {
    /// The longest name a broker accepts.
    static let maximumLength = 249

    /// Why `name` is not a legal topic name, or `nil` when it is.
    static func problem(with name: String) -> String? {
        let bytes = name.utf8
        if bytes.isEmpty { return "the topic name is empty" }
        if bytes.count > maximumLength {
            return "the topic name is \(bytes.count) bytes long; Kafka allows at most \(maximumLength)"
        }
        if name == "." || name == ".." { return "'\(name)' is not a legal topic name" }
        for byte in bytes where !isLegal(byte) {
            return "the topic name '\(name)' has a character other than ASCII letters, digits, '.', '_' and '-'"
        }
        return nil
    }

    private static func isLegal(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
