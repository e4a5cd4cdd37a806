/// TLS and SASL settings (`security.protocol`, `ssl.*`, `sasl.*`).
public struct SecurityConfiguration: Sendable, Hashable {
    /// How the client talks to brokers.
    public enum SecurityProtocol: String, Sendable, Hashable {
        case plaintext
        case ssl
        case saslPlaintext = "sasl_plaintext"
        case saslSSL = "sasl_ssl"
    }

    /// A SASL mechanism.
    public enum SASLMechanism: String, Sendable, Hashable {
        case plain = "PLAIN"
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
        case gssapi = "GSSAPI"
        case oauthBearer = "OAUTHBEARER"
    }

    public var securityProtocol: SecurityProtocol?
    /// File or directory of CA certificates to verify brokers with (`ssl.ca.location`).
    public var caLocation: String?
    /// The client's certificate file, for mutual TLS (`ssl.certificate.location`).
    public var certificateLocation: String?
    /// The client's private key file (`ssl.key.location`).
    public var keyLocation: String?
    /// The private key's password (`ssl.key.password`).
    public var keyPassword: String?
    public var saslMechanism: SASLMechanism?
    public var saslUsername: String?
    public var saslPassword: String?

    public init(
        securityProtocol: SecurityProtocol? = nil,
        caLocation: String? = nil,
        certificateLocation: String? = nil,
        keyLocation: String? = nil,
        keyPassword: String? = nil,
        saslMechanism: SASLMechanism? = nil,
        saslUsername: String? = nil,
        saslPassword: String? = nil
    ) {
        self.securityProtocol = securityProtocol
        self.caLocation = caLocation
        self.certificateLocation = certificateLocation
        self.keyLocation = keyLocation
        self.keyPassword = keyPassword
        self.saslMechanism = saslMechanism
        self.saslUsername = saslUsername
        self.saslPassword = saslPassword
    }

    func properties() -> [String: String] {
        var result: [String: String] = [:]
        result["security.protocol"] = securityProtocol?.rawValue
        result["ssl.ca.location"] = caLocation
        result["ssl.certificate.location"] = certificateLocation
        result["ssl.key.location"] = keyLocation
        result["ssl.key.password"] = keyPassword
        result["sasl.mechanism"] = saslMechanism?.rawValue
        result["sasl.username"] = saslUsername
        result["sasl.password"] = saslPassword
        return result
    }
}
