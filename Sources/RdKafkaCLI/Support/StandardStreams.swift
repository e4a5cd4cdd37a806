import Foundation

/// Buffered writes to a file descriptor: records go to stdout in large writes rather than
/// one system call each.
///
/// A closed pipe (`rdkafka consume t | head`) makes writes fail with `EPIPE` (SIGPIPE is
/// ignored, see ``RdKafkaCommand``); the stream then reports ``isClosed`` so the command
/// stops reading instead of dying mid-way.
final class OutputStream {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int
    private(set) var isClosed = false

    init(descriptor: Int32, capacity: Int = 64 * 1024) {
        self.descriptor = descriptor
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    static func standardOutput() -> OutputStream { OutputStream(descriptor: STDOUT_FILENO) }

    func write(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { flush() }
    }

    func write(_ text: String) {
        write(text.utf8)
    }

    func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard !isClosed else { return }
        if !writeAll(descriptor, buffer) { isClosed = true }
    }
}

/// Diagnostics: one line at a time on stderr, unbuffered.
enum Diagnostics {
    static func line(_ text: String) {
        _ = writeAll(STDERR_FILENO, Array(text.utf8) + [UInt8(ascii: "\n")])
    }

    /// Whether stderr is a terminal: progress lines are shown only then.
    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// Writes every byte, retrying interrupted and short writes; `false` once the descriptor
/// refuses (a closed pipe).
private func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return true }
        var offset = 0
        while offset < raw.count {
            let result = write(descriptor, base + offset, raw.count - offset)
            if result < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += result
        }
        return true
    }
}
