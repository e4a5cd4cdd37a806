import Foundation

/// Reads a file descriptor in chunks, waking every 200 ms to check for Ctrl-C, so an
/// interrupted `produce` stops reading but still delivers every line it has read.
struct InputReader {
    let descriptor: Int32
    let interrupt: InterruptSignal

    enum Chunk {
        case bytes([UInt8])
        case end
        case interrupted
    }

    func next() throws -> Chunk {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if interrupt.isRequested { return .interrupted }
            var descriptorPoll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptorPoll, 1, 200)
            if ready < 0 {
                if errno == EINTR { continue }
                throw CLIFailure("reading the input: \(String(cString: strerror(errno)))")
            }
            if ready == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { raw in read(descriptor, raw.baseAddress, raw.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw CLIFailure("reading the input: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return .end }
            return .bytes(Array(buffer[0..<count]))
        }
    }
}
