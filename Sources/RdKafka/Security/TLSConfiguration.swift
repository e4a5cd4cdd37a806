import Foundation

/// The certificates a client trusts and presents, and how strictly it checks brokers.
///
/// Both checks are on by default: the broker's certificate must chain to ``trustRoots``
/// (`enable.ssl.certificate.verification`) and name the host the client connected to
/// (`ssl.endpoint.identification.algorithm=https`). Files are checked when the client is
/// created: a missing or unreadable one throws an `invalidConfiguration` ``KafkaError``
/// whose ``KafkaError/property`` is the librdkafka setting (such as `ssl.ca.location`).
public struct TLSConfiguration: Sendable {
    /// The certificate authorities that broker certificates must chain to.
    public enum TrustRoots: Sendable {
        /// A PEM file of one or more CA certificates (`ssl.ca.location`).
        case file(String)
        /// A directory of CA certificates in OpenSSL's hashed layout (`ssl.ca.location`).
        case directory(String)
        /// CA certificates as PEM text (`ssl.ca.pem`).
        case pem(String)
        /// The operating system's trust store, as OpenSSL finds it (`ssl.ca.location=probe`).
        case system
    }

    /// The client's own certificate, for mutual TLS.
    public enum Certificate: Sendable {
        /// A PEM file (`ssl.certificate.location`).
        case file(String)
        /// PEM text (`ssl.certificate.pem`).
        case pem(String)
    }

    /// The private key of the client's certificate, for mutual TLS.
    public enum PrivateKey: Sendable {
        /// A PEM file (`ssl.key.location`), encrypted with `password` if given (`ssl.key.password`).
        case file(String, password: Secret? = nil)
        /// PEM text (`ssl.key.pem`), encrypted with `password` if given (`ssl.key.password`).
        case pem(Secret, password: Secret? = nil)
    }

    /// `nil` keeps librdkafka's default: OpenSSL's built-in CA path.
    public var trustRoots: TrustRoots?
    /// The client certificate; needs ``privateKey``.
    public var certificate: Certificate?
    /// The client certificate's key; needs ``certificate``.
    public var privateKey: PrivateKey?
    /// A PEM file of certificate revocation lists checked against broker certificates (`ssl.crl.location`).
    public var crlFile: String?
    /// Whether the broker's certificate must chain to ``trustRoots`` (`enable.ssl.certificate.verification`).
    /// Turning it off accepts any broker: only for a test bench.
    public var verifiesBrokerCertificate: Bool
    /// Whether the broker's certificate must name the host connected to
    /// (`ssl.endpoint.identification.algorithm`: `https`, or `none` when off).
    public var verifiesBrokerHostname: Bool

    public init(
        trustRoots: TrustRoots? = nil,
        certificate: Certificate? = nil,
        privateKey: PrivateKey? = nil,
        crlFile: String? = nil,
        verifiesBrokerCertificate: Bool = true,
        verifiesBrokerHostname: Bool = true
    ) {
        self.trustRoots = trustRoots
        self.certificate = certificate
        self.privateKey = privateKey
        self.crlFile = crlFile
        self.verifiesBrokerCertificate = verifiesBrokerCertificate
        self.verifiesBrokerHostname = verifiesBrokerHostname
    }

    /// Whether anything differs from a default `TLSConfiguration()`.
    var hasSettings: Bool {
        trustRoots != nil || certificate != nil || privateKey != nil || crlFile != nil
            || !verifiesBrokerCertificate || !verifiesBrokerHostname
    }

    var secretValues: [String] {
        switch privateKey {
        case .file(_, let password): return password.map { [$0.value] } ?? []
        case .pem(let key, let password): return [key.value] + (password.map { [$0.value] } ?? [])
        case nil: return []
        }
    }

    func properties() throws(KafkaError) -> [String: String] {
        var result: [String: String] = [
            "enable.ssl.certificate.verification": verifiesBrokerCertificate ? "true" : "false",
            "ssl.endpoint.identification.algorithm": verifiesBrokerHostname ? "https" : "none",
        ]
        switch trustRoots {
        case .file(let path):
            result["ssl.ca.location"] = try Self.readableFile(path, setting: "tls.trustRoots", property: "ssl.ca.location")
        case .directory(let path):
            result["ssl.ca.location"] = try Self.directory(path, setting: "tls.trustRoots", property: "ssl.ca.location")
        case .pem(let text):
            result["ssl.ca.pem"] = try Self.pem(text, setting: "tls.trustRoots", property: "ssl.ca.pem")
        case .system:
            result["ssl.ca.location"] = "probe"
        case nil:
            break
        }
        switch (certificate, privateKey) {
        case (nil, nil):
            break
        case (.some, nil), (nil, .some):
            throw KafkaError(
                code: .invalidConfiguration,
                message: "tls.certificate and tls.privateKey go together: set both for mutual TLS, or neither",
                property: certificate == nil ? "ssl.certificate.location" : "ssl.key.location"
            )
        case (.some(let certificate), .some(let privateKey)):
            switch certificate {
            case .file(let path):
                result["ssl.certificate.location"] = try Self.readableFile(path, setting: "tls.certificate", property: "ssl.certificate.location")
            case .pem(let text):
                result["ssl.certificate.pem"] = try Self.pem(text, setting: "tls.certificate", property: "ssl.certificate.pem")
            }
            switch privateKey {
            case .file(let path, let password):
                result["ssl.key.location"] = try Self.readableFile(path, setting: "tls.privateKey", property: "ssl.key.location")
                result["ssl.key.password"] = password?.value
            case .pem(let key, let password):
                // The key's text must never appear in the error, only that it is not PEM.
                guard key.value.contains("-----BEGIN") else {
                    throw KafkaError(code: .invalidConfiguration, message: "tls.privateKey is not PEM text (no -----BEGIN line)", property: "ssl.key.pem")
                }
                result["ssl.key.pem"] = key.value
                result["ssl.key.password"] = password?.value
            }
        }
        if let crlFile {
            result["ssl.crl.location"] = try Self.readableFile(crlFile, setting: "tls.crlFile", property: "ssl.crl.location")
        }
        return result
    }

    private static func readableFile(_ path: String, setting: String, property: String) throws(KafkaError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw KafkaError(code: .invalidConfiguration, message: "\(setting): no file at '\(path)'", property: property)
        }
        guard !isDirectory.boolValue else {
            throw KafkaError(code: .invalidConfiguration, message: "\(setting): '\(path)' is a directory, not a file", property: property)
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw KafkaError(code: .invalidConfiguration, message: "\(setting): '\(path)' is not readable by this process", property: property)
        }
        return path
    }

    private static func directory(_ path: String, setting: String, property: String) throws(KafkaError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw KafkaError(code: .invalidConfiguration, message: "\(setting): no directory at '\(path)'", property: property)
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw KafkaError(code: .invalidConfiguration, message: "\(setting): '\(path)' is not readable by this process", property: property)
        }
        return path
    }

    private static func pem(_ text: String, setting: String, property: String) throws(KafkaError) -> String {
        guard text.contains("-----BEGIN CERTIFICATE-----") else {
            throw KafkaError(code: .invalidConfiguration, message: "\(setting): not PEM text (no -----BEGIN CERTIFICATE----- line)", property: property)
        }
        return text
    }
}
