import Foundation
import RdKafkaTestSupport
import Synchronization

/// What one run of the `rdkafka` binary produced.
struct CLIResult: Sendable {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String

    var output: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs the built `rdkafka` binary as a child process, as a user's shell would.
enum CLIProcess {
    /// The binary: next to the test bundle in the build's products directory, or
    /// `RDKAFKA_CLI_PATH`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["RDKAFKA_CLI_PATH"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Darwin the runner is inside the .xctest bundle (Contents/MacOS).
        while directory.path.contains(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("rdkafka")
    }

    /// Runs `rdkafka arguments...`, feeding `stdin`; after `timeout` the binary gets SIGTERM
    /// (it stops cleanly, exiting 0) and this throws, so a hang never passes for success.
    static func run(_ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:], timeout: Duration = .seconds(120)) async throws -> CLIResult {
        let binary = binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CLIMissing(path: binary.path)
        }
        let process = TestProcess()
        process.executableURL = binary
        process.arguments = arguments
        var childEnvironment = ProcessInfo.processInfo.environment
        childEnvironment["KAFKA_BOOTSTRAP_SERVERS"] = nil
        childEnvironment.merge(environment) { _, new in new }
        process.environment = childEnvironment
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        // A child that exits before reading all its stdin (a refused command line) closes the
        // pipe: writing to it must fail with EPIPE, not kill the test runner with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        let timedOut = Mutex(false)
        // Blocking reads and writes on threads of their own, never on the cooperative pool.
        let collected = await withCheckedContinuation { (continuation: CheckedContinuation<(Data, Data), Never>) in
            let group = DispatchGroup()
            let stdoutData = Mutex(Data())
            let stderrData = Mutex(Data())
            DispatchQueue.global().async(group: group) {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                stdoutData.withLock { $0 = data }
            }
            DispatchQueue.global().async(group: group) {
                let data = errors.fileHandleForReading.readDataToEndOfFile()
                stderrData.withLock { $0 = data }
            }
            DispatchQueue.global().async {
                // A child that exits early closes its end; the write then fails, harmlessly.
                try? input.fileHandleForWriting.write(contentsOf: Data(stdin))
                try? input.fileHandleForWriting.close()
            }
            let watchdog = DispatchWorkItem {
                guard process.isRunning else { return }
                timedOut.withLock { $0 = true }
                process.terminate()
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout.components.seconds * 1000)), execute: watchdog)
            group.notify(queue: .global()) {
                process.waitUntilExit()
                watchdog.cancel()
                continuation.resume(returning: (stdoutData.withLock { $0 }, stderrData.withLock { $0 }))
            }
        }
        if timedOut.withLock({ $0 }) {
            throw TimeoutError(what: "rdkafka \(arguments.joined(separator: " ")) (stderr: \(String(decoding: collected.1, as: UTF8.self)))")
        }
        return CLIResult(status: process.terminationStatus, stdout: Array(collected.0), stderr: String(decoding: collected.1, as: UTF8.self))
    }
}

struct CLIMissing: Error, CustomStringConvertible {
    let path: String
    var description: String { "the rdkafka binary is not at \(path): build it with `swift build --build-tests`" }
}
