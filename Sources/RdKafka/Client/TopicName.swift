import Synchronization

/// Kafka's rules for topic names, checked before a name reaches librdkafka.
///
/// librdkafka passes any name to the broker, which refuses an illegal one only when the
/// record is delivered (or, on some brokers, creates it). Checking here turns a late,
/// broker-dependent failure into an immediate typed error.
enum TopicName {
    /// The longest name a broker accepts.
    static let maximumLength = 249

    /// Why `name` is not a legal topic name, or `nil` when it is.
    ///
    /// Every send checks its topic, so the common case, a legal name, is one pass over the
    /// name's UTF-8 bytes with a bit test per byte; the reasons are worked out only for an
    /// illegal name.
    static func problem(with name: String) -> String? {
        if isLegal(name) { return nil }
        return explainProblem(with: name)
    }

    /// Whether `name` is a legal topic name.
    static func isLegal(_ name: String) -> Bool {
        var name = name
        // Native strings (all strings on Linux, and nearly all elsewhere) are contiguous
        // UTF-8, so this borrows their storage without copying.
        return name.withUTF8 { bytes in
            guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
            var legal = true
            for byte in bytes { legal = legal && isLegal(byte) }
            // "." and ".." are made of legal characters but name no topic.
            return legal && !(bytes.count <= 2 && bytes.allSatisfy { $0 == UInt8(ascii: ".") })
        }
    }

    private static func explainProblem(with name: String) -> String? {
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

    /// ASCII letters, digits, '.', '_' and '-', as bit masks over the bytes 0-63 ('-', '.',
    /// '0'-'9') and 64-127 ('A'-'Z', '_', 'a'-'z'): a shift and a test per byte instead of a
    /// chain of range comparisons. `TopicNameTests` checks them against the rule as written.
    private static let legalBelow64: UInt64 = 0x03FF_6000_0000_0000
    private static let legalFrom64: UInt64 = 0x07FF_FFFE_87FF_FFFE

    @inline(__always)
    static func isLegal(_ byte: UInt8) -> Bool {
        if byte >= 128 { return false }
        let mask = byte < 64 ? legalBelow64 : legalFrom64
        return (mask >> UInt64(byte & 63)) & 1 != 0
    }
}

/// Remembers the first topic name a client found legal, so that sending again and again to
/// that topic (the common case) costs a string comparison instead of a scan: usually the
/// very same string storage, which compares equal without reading its bytes.
///
/// It is set once and never replaced, which keeps it lock-free and safe to read from any
/// thread; other topics are scanned each time, as before.
final class KnownTopicName: Sendable {
    private final class Name: Sendable {
        let value: String
        init(_ value: String) { self.value = value }
    }

    /// The remembered name's object, retained, as an address; 0 until a name is accepted.
    /// (An `AtomicLazyReference` would do, but its `load` is not inlined and looks up
    /// generic metadata on every call.)
    private let first = Atomic<UInt>(0)

    /// Why `name` is not a legal topic name, or `nil` when it is.
    func problem(with name: String) -> String? {
        let known = first.load(ordering: .acquiring)
        if known != 0, let address = UnsafeRawPointer(bitPattern: known),
           Unmanaged<Name>.fromOpaque(address)._withUnsafeGuaranteedRef({ $0.value == name }) {
            return nil
        }
        if let problem = TopicName.problem(with: name) { return problem }
        if known == 0 {
            let candidate = Unmanaged.passRetained(Name(name))
            let address = UInt(bitPattern: candidate.toOpaque())
            if !first.compareExchange(expected: 0, desired: address, ordering: .acquiringAndReleasing).exchanged {
                candidate.release()
            }
        }
        return nil
    }

    deinit {
        if let address = UnsafeRawPointer(bitPattern: first.load(ordering: .acquiring)) {
            Unmanaged<Name>.fromOpaque(address).release()
        }
    }
}
