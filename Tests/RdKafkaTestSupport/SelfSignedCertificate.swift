import Foundation

/// A throwaway self-signed certificate for 127.0.0.1 and its private key, PEM files made by
/// the `openssl` command in a temporary directory of their own, for tests of an HTTPS server
/// trusted through a custom root. The caller deletes them with ``remove()``.
public struct SelfSignedCertificate: Sendable {
    /// The directory holding both files; other paths in it name files that do not exist.
    public let directory: URL
    public let certificatePath: String
    public let keyPath: String

    /// Makes the pair in a new directory named after `prefix`; throws when openssl fails.
    public static func make(prefix: String) throws -> SelfSignedCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let made = SelfSignedCertificate(
            directory: directory,
            certificatePath: directory.appendingPathComponent("cert.pem").path,
            keyPath: directory.appendingPathComponent("key.pem").path
        )
        let openssl = TestProcess()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", made.keyPath, "-out", made.certificatePath,
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        do {
            try openssl.run()
        } catch {
            made.remove()
            throw error
        }
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            made.remove()
            throw TestProcessError("openssl req failed with status \(openssl.terminationStatus)")
        }
        return made
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
