import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process for tests, with the part of `Foundation.Process`'s API the tests use,
/// started with `posix_spawn`.
///
/// Why not `Foundation.Process`: on Linux with Swift 6.3.1 its `run()` crashes now and then
/// (an over-read of `/proc/self/fd` entries while it looks for descriptors to close,
/// swift-corelibs-foundation#5472), and this suite starts hundreds of processes while
/// librdkafka holds many sockets open. Descriptors above 2 are closed in the child by
/// glibc's `posix_spawn_file_actions_addclosefrom_np`, so a child never holds another
/// child's pipe open.
public final class TestProcess: @unchecked Sendable {
    // @unchecked: configured before `run()` on one task; afterwards only `pid` (immutable
    // once set) and `status`, which `lock` guards, are touched.
    public var executableURL: URL?
    public var arguments: [String] = []
    public var environment: [String: String]?
    public var currentDirectoryURL: URL?
    /// A `Pipe` or a `FileHandle`, as for `Foundation.Process`; `nil` inherits the parent's.
    public var standardInput: Any?
    public var standardOutput: Any?
    public var standardError: Any?

    private let lock = NSLock()
    private var pid: pid_t = 0
    private var status: Int32?

    public init() {}

    public var processIdentifier: Int32 { lock.withLock { pid } }

    /// Starts the child.
    public func run() throws {
        guard let executableURL else { throw TestProcessError("no executable") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in [(Int32(0), Self.childEnd(standardInput, reading: true)), (1, Self.childEnd(standardOutput, reading: false)), (2, Self.childEnd(standardError, reading: false))] {
            if let source { posix_spawn_file_actions_adddup2(&actions, source, target) }
        }
        if let directory = currentDirectoryURL {
            guard let addChdir = Self.addChdir else { throw TestProcessError("glibc has no posix_spawn_file_actions_addchdir_np (needs 2.29)") }
            _ = directory.path.withCString { addChdir(&actions, $0) }
        }
        guard let closeFrom = Self.addCloseFrom else { throw TestProcessError("glibc has no posix_spawn_file_actions_addclosefrom_np (needs 2.34)") }
        _ = closeFrom(&actions, 3)

        let argv = [executableURL.path] + arguments
        let environment = (self.environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var child: pid_t = 0
        let result = Self.withCStrings(argv) { argvPointer in
            Self.withCStrings(environment) { envPointer in
                posix_spawn(&child, executableURL.path, &actions, nil, argvPointer, envPointer)
            }
        }
        guard result == 0 else { throw TestProcessError("posix_spawn \(executableURL.path): \(String(cString: strerror(result)))") }
        lock.withLock { pid = child }
        // The parent closes the child's ends of its pipes, so readers see end of file when
        // the child exits.
        if let pipe = standardInput as? Pipe { try? pipe.fileHandleForReading.close() }
        if let pipe = standardOutput as? Pipe { try? pipe.fileHandleForWriting.close() }
        if let pipe = standardError as? Pipe, standardError as AnyObject !== standardOutput as AnyObject {
            try? pipe.fileHandleForWriting.close()
        }
    }

    /// Whether the child has not exited yet.
    public var isRunning: Bool { reap(blocking: false) == nil }

    /// Waits for the child to exit.
    public func waitUntilExit() { _ = reap(blocking: true) }

    /// The exit status, or 128 + the signal that ended the child.
    public var terminationStatus: Int32 { reap(blocking: true) ?? -1 }

    /// Sends SIGTERM.
    public func terminate() {
        let pid = processIdentifier
        if pid > 0, reap(blocking: false) == nil { kill(pid, SIGTERM) }
    }

    private func reap(blocking: Bool) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        guard pid > 0 else { return nil }
        var raw: Int32 = 0
        var answer: pid_t
        repeat { answer = waitpid(pid, &raw, blocking ? 0 : WNOHANG) } while answer < 0 && errno == EINTR
        guard answer == pid else { return nil }
        let signal = raw & 0x7f
        status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        return status
    }

    private static func childEnd(_ stream: Any?, reading: Bool) -> Int32? {
        if let pipe = stream as? Pipe { return reading ? pipe.fileHandleForReading.fileDescriptor : pipe.fileHandleForWriting.fileDescriptor }
        if let handle = stream as? FileHandle { return handle.fileDescriptor }
        return nil
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static let addCloseFrom: AddCloseFrom? = {
        // RTLD_DEFAULT is a null handle on glibc.
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

public struct TestProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
