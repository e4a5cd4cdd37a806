import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A single progress line on stderr, rewritten in place; silent when stderr is not a
/// terminal (so logs and pipes stay clean) or with `--quiet`.
struct Progress: Sendable {
    let enabled: Bool

    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) != 0
    }

    func show(_ line: String) {
        guard enabled else { return }
        write("\r\u{1B}[2K[rdkafka-bench] \(line)")
    }

    func clear() {
        guard enabled else { return }
        write("\r\u{1B}[2K")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
