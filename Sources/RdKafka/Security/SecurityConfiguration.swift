/// How the client proves who it is and checks whom it talks to: TLS (`security.protocol`,
/// `ssl.*`) and SASL (`sasl.*`), including OAUTHBEARER.
///
/// Secrets are ``Secret`` values: printing or dumping a configuration shows `<redacted>`.
/// The type is neither `Equatable` nor `Hashable`, since it holds secrets and may hold a
/// token provider closure. Everything is checked when a client is created; a missing
/// certificate file, say, throws an `invalidConfiguration` ``KafkaError`` naming the setting.
///
/// See docs/security.md for recipes (TLS, mutual TLS, SASL/SCRAM, OAuth) and what is verified.
public struct SecurityConfiguration: Sendable {
    /// How the client talks to brokers.
    public enum SecurityProtocol: String, Sendable, Hashable {
        case plaintext
        case ssl
        case saslPlaintext = "sasl_plaintext"
        case saslSSL = "sasl_ssl"

        var usesTLS: Bool { self == .ssl || self == .saslSSL }
    }

    /// A SASL mechanism.
    public enum SASLMechanism: String, Sendable, Hashable {
        case plain = "PLAIN"
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
        case gssapi = "GSSAPI"
        case oauthBearer = "OAUTHBEARER"
    }

    /// `security.protocol`; `nil` keeps librdkafka's default (`plaintext`).
    public var securityProtocol: SecurityProtocol?
    /// Certificates and verification, used when ``securityProtocol`` is `.ssl` or `.saslSSL`.
    public var tls: TLSConfiguration
    /// `sasl.mechanism`; with ``oauthBearer`` set it may stay `nil` (OAUTHBEARER is implied).
    public var saslMechanism: SASLMechanism?
    /// `sasl.username`, for PLAIN and SCRAM.
    public var saslUsername: String?
    /// `sasl.password`, for PLAIN and SCRAM.
    public var saslPassword: Secret?
    /// Where OAUTHBEARER tokens come from: your own provider, or librdkafka's OIDC
    /// client-credentials flow.
    public var oauthBearer: OAuthBearerMethod?

    public init(
        securityProtocol: SecurityProtocol? = nil,
        tls: TLSConfiguration = .init(),
        saslMechanism: SASLMechanism? = nil,
        saslUsername: String? = nil,
        saslPassword: Secret? = nil,
        oauthBearer: OAuthBearerMethod? = nil
    ) {
        self.securityProtocol = securityProtocol
        self.tls = tls
        self.saslMechanism = saslMechanism
        self.saslUsername = saslUsername
        self.saslPassword = saslPassword
        self.oauthBearer = oauthBearer
    }

    /// The settings as librdkafka properties, after checking files and combinations.
    func properties() throws(KafkaError) -> [String: String] {
        if let securityProtocol, !securityProtocol.usesTLS, tls.hasSettings {
            throw KafkaError(
                code: .invalidConfiguration,
                message: "tls settings are given but securityProtocol is \(securityProtocol.rawValue), which never uses TLS: use .ssl or .saslSSL",
                property: "security.protocol"
            )
        }
        var result = try tls.properties()
        result["security.protocol"] = securityProtocol?.rawValue
        result["sasl.mechanism"] = saslMechanism?.rawValue
        result["sasl.username"] = saslUsername
        result["sasl.password"] = saslPassword?.value
        if let oauthBearer {
            if let saslMechanism, saslMechanism != .oauthBearer {
                throw KafkaError(
                    code: .invalidConfiguration,
                    message: "oauthBearer is set but saslMechanism is \(saslMechanism.rawValue): leave it nil or use .oauthBearer",
                    property: "sasl.mechanism"
                )
            }
            result["sasl.mechanism"] = SASLMechanism.oauthBearer.rawValue
            result.merge(try oauthBearer.properties()) { _, new in new }
        }
        return result
    }

    /// Every secret value configured here, for the ``SecretScrubber``.
    var secretValues: [String] {
        var values = tls.secretValues
        if let saslPassword { values.append(saslPassword.value) }
        if case .oidc(let credentials) = oauthBearer { values.append(credentials.clientSecret.value) }
        return values
    }

    /// The token provider, when tokens come from application code.
    var tokenProvider: OAuthBearerMethod.TokenProvider? {
        if case .tokenProvider(let provider) = oauthBearer { return provider }
        return nil
    }
}
