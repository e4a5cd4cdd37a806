import Foundation
import RdKafkaTestSupport
import Testing

/// Tests/Tools/kafka_security_proxy.py, run in front of the test cluster: a TLS listener
/// (optionally requiring client certificates) and SASL authentication (PLAIN, SCRAM,
/// OAUTHBEARER) that checks credentials, for brokers that offer neither.
///
/// It needs python3 from `RDKAFKA_TEST_PYTHON` (standard library only); tests using it are
/// disabled when that is unset.
final class SecurityProxy: Sendable {
    let port: Int
    private let process: TestProcess
    private let output: Guarded<String>
    /// The proxy's stdin: it exits when this closes, so it never outlives the test process.
    private let lifeline: Pipe

    static var python: String? {
        guard let path = ProcessInfo.processInfo.environment["RDKAFKA_TEST_PYTHON"], !path.isEmpty else { return nil }
        return path
    }

    /// Whether the proxy can run here, and throwaway certificates can be made.
    static var isAvailable: Bool { python != nil && TestCertificates.openssl != nil }

    static let unavailableReason: Comment = "needs RDKAFKA_TEST_PYTHON (python3) for the TLS/SASL proxy and the openssl CLI"

    private static var script: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tools/kafka_security_proxy.py").path
    }

    /// Starts a proxy in front of `backend` (`host:port`) with the script's `arguments`.
    static func start(backend: String, _ arguments: [String]) async throws -> SecurityProxy {
        guard let python else { throw TestSetupError("RDKAFKA_TEST_PYTHON is not set") }
        let process = TestProcess()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--backend", backend] + arguments
        let pipe = Pipe()
        let lifeline = Pipe()
        process.standardOutput = pipe
        process.standardInput = lifeline
        let output = Guarded("")
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { output.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try process.run()
        let ready = Guarded<Int?>(nil)
        do {
            try await eventually(timeout: .seconds(15), "the proxy to listen") {
                let line = output.withLock { text in text.split(separator: "\n").first { $0.hasPrefix("READY ") } }
                if let line, let port = Int(line.dropFirst("READY ".count)) { ready.withLock { $0 = port } }
                return ready.withLock { $0 } != nil || !process.isRunning
            }
        } catch {
            stop(process)
            throw error
        }
        guard let port = ready.withLock({ $0 }) else { throw TestSetupError("the proxy exited before listening") }
        return SecurityProxy(port: port, process: process, output: output, lifeline: lifeline)
    }

    private init(port: Int, process: TestProcess, output: Guarded<String>, lifeline: Pipe) {
        self.port = port
        self.process = process
        self.output = output
        self.lifeline = lifeline
    }

    private static func stop(_ process: TestProcess) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// What the proxy reported so far, one event per line ("AUTH OK PLAIN alice", ...).
    var events: [String] {
        output.withLock { $0.split(separator: "\n").map(String.init) }
    }

    /// The bootstrap address to give clients: `localhost`, the name the test certificates carry.
    var bootstrapServers: [String] { ["localhost:\(port)"] }

    deinit {
        Self.stop(process)
    }
}

/// Throwaway certificates for one test, made with the openssl CLI: a CA, a broker
/// certificate for `localhost` and `127.0.0.1`, one for another host, a client certificate,
/// and an unrelated CA.
struct TestCertificates: Sendable {
    let directory: String

    static var openssl: String? {
        ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    var caFile: String { path("ca.pem") }
    var otherCAFile: String { path("other-ca.pem") }
    var brokerCertificate: String { path("broker.pem") }
    var brokerKey: String { path("broker.key") }
    var wrongHostCertificate: String { path("wrong-host.pem") }
    var wrongHostKey: String { path("wrong-host.key") }
    var clientCertificate: String { path("client.pem") }
    var clientKey: String { path("client.key") }

    func path(_ name: String) -> String { directory + "/" + name }
    func contents(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    static func make() throws -> TestCertificates {
        guard let openssl else { throw TestSetupError("no openssl CLI") }
        let directory = NSTemporaryDirectory() + "rdkafka-tls-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificates = TestCertificates(directory: directory)
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "other-ca"] {
            try run(openssl, ["req", "-x509"] + curve + ["-keyout", "\(ca).key", "-out", "\(ca).pem", "-days", "1", "-subj", "/CN=swift-rdkafka-\(ca)"], in: directory)
        }
        let leaves = [
            ("broker", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
            ("wrong-host", "/CN=elsewhere.example", "subjectAltName=DNS:elsewhere.example"),
            ("client", "/CN=swift-rdkafka-client", "extendedKeyUsage=clientAuth"),
        ]
        for (name, subject, extensions) in leaves {
            try extensions.write(toFile: certificates.path("\(name).ext"), atomically: true, encoding: .utf8)
            try run(openssl, ["req"] + curve + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject], in: directory)
            try run(openssl, [
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "\(name).pem", "-days", "1", "-extfile", "\(name).ext",
            ], in: directory)
        }
        return certificates
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func run(_ tool: String, _ arguments: [String], in directory: String) throws {
        let process = TestProcess()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("openssl \(arguments.prefix(2).joined(separator: " ")) failed with status \(process.terminationStatus)")
        }
    }
}
