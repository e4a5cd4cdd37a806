import Foundation
import RdKafkaTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A noida-db broker in a process of its own that a test can kill and restart on the same
/// port and data dir: faults that only a real broker process shows (a crash, data kept
/// across restarts, a broker gone for longer than the clients' timeouts).
///
/// Available when `NOIDA_DB_BINARY` names the broker binary (`make test` sets it for the
/// noida-db run, through Tests/Brokers/noida-db.sh).
final class BrokerProcess: @unchecked Sendable {
    static var binary: String? {
        guard let path = ProcessInfo.processInfo.environment["NOIDA_DB_BINARY"], !path.isEmpty else { return nil }
        return path
    }

    static var isAvailable: Bool { binary != nil }

    let port: Int
    let directory: URL
    private let lock = NSLock()
    private var process: TestProcess?
    private var starts = 0

    var bootstrapServers: [String] { ["127.0.0.1:\(port)"] }

    /// Starts a broker on a free loopback port with a fresh data dir.
    init() throws {
        guard Self.binary != nil else { throw TestSetupError("NOIDA_DB_BINARY is not set") }
        port = try Self.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("broker-process-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try start()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts the broker (again) on the same port and data dir, and returns once it listens.
    func start() throws {
        let (process, log) = try lock.withLock { () throws -> (TestProcess, URL) in
            precondition(self.process == nil, "start() on a running broker")
            starts += 1
            let log = directory.appendingPathComponent("broker-\(starts).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = TestProcess()
            process.executableURL = URL(fileURLWithPath: Self.binary!)
            process.arguments = [
                "start", "--only", "kafka", "--host", "127.0.0.1", "--kafka-port", "\(port)",
                "--data-dir", directory.appendingPathComponent("data").path,
            ]
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            self.process = process
            return (process, log)
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw TestSetupError("noida-db exited while starting: \(Self.tail(log))") }
            if Self.tail(log).range(of: #"kafka +127\.0\.0\.1:\#(port)"#, options: .regularExpression) != nil, Self.accepts(port: port) {
                return
            }
            usleep(50_000)
        }
        throw TestSetupError("noida-db did not listen on port \(port) within 30 s: \(Self.tail(log))")
    }

    /// SIGKILL, then a restart after `downtime`.
    func crashAndRestart(downtime: Duration = .milliseconds(500)) async throws {
        try await restart(after: .crash, downtime: downtime)
    }

    /// Kills the broker with SIGKILL, as a crash would, and waits until the process is gone.
    func kill() {
        guard let process = lock.withLock({ () -> TestProcess? in defer { self.process = nil }; return self.process }) else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// How a broker goes away.
    enum Stop: String, Sendable, CustomStringConvertible {
        /// SIGKILL: a crash; the broker writes nothing more.
        case crash
        /// SIGTERM: a clean shutdown, SIGKILL after 20 s.
        case shutdown

        var description: String { rawValue }
    }

    /// Whether records, topics and producer state the broker acknowledged can be lost when
    /// it crashes. noida-db 0.2.3 keeps its state in a snapshot (`kafka.json` in the data
    /// dir) written a moment after changes, so a SIGKILL loses what came after the last
    /// snapshot; Kafka keeps acknowledged writes across a process crash (they are in the
    /// OS page cache). See docs/testing.md.
    static func losesAcknowledgedWrites(on stop: Stop) -> Bool { stop == .crash }

    /// Stops the broker cleanly: SIGTERM, then SIGKILL if it has not ended within 20 s.
    func shutdown() {
        guard let process = lock.withLock({ () -> TestProcess? in defer { self.process = nil }; return self.process }) else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Stops the broker as `stop` says, then restarts it on the same port and data dir after
    /// `downtime`.
    func restart(after stop: Stop, downtime: Duration = .milliseconds(500)) async throws {
        switch stop {
        case .crash: kill()
        case .shutdown: shutdown()
        }
        // The downtime is part of the scenario (how long clients see no broker), not a wait
        // for a result.
        try await Task.sleep(for: downtime)
        try start()
    }

    /// The end of the broker's log. Read with POSIX calls: `String(contentsOf:)` leaks its
    /// buffer in this Foundation (LeakSanitizer reports it), and the log is read every 50 ms.
    private static func tail(_ log: URL) -> String {
        let fd = open(log.path, O_RDONLY)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes.suffix(2_000), as: UTF8.self)
    }

    private static func freePort() throws -> Int {
        try withLoopbackSocket { fd, address in
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            guard withUnsafeMutablePointer(to: &address, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }) == 0,
                  withUnsafeMutablePointer(to: &address, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }) == 0
            else { throw TestSetupError("no free loopback port") }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }

    private static func accepts(port: Int) -> Bool {
        (try? withLoopbackSocket { fd, address in
            address.sin_port = UInt16(port).bigEndian
            return withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
        }) ?? false
    }

    private static func withLoopbackSocket<Result>(_ body: (Int32, inout sockaddr_in) throws -> Result) throws -> Result {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return try body(fd, &address)
    }
}
