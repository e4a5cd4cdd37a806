import Foundation

/// An OAUTHBEARER token, as a ``OAuthBearerMethod/tokenProvider(_:)`` returns it.
///
/// librdkafka asks for a new token when 80 % of the lifetime has passed, so a token is
/// replaced before it expires; a token already expired is refused.
public struct OAuthBearerToken: Sendable {
    /// The token itself, usually a JWT; never printed.
    public var value: Secret
    /// When the token expires.
    public var expiresAt: Date
    /// The Kafka principal the token stands for (librdkafka needs it; brokers take theirs from the token).
    public var principal: String
    /// SASL extensions sent with the token (RFC 7628 §3.1): keys are letters only and not `auth`.
    public var extensions: [String: String]

    public init(value: Secret, expiresAt: Date, principal: String, extensions: [String: String] = [:]) {
        self.value = value
        self.expiresAt = expiresAt
        self.principal = principal
        self.extensions = extensions
    }

    /// A token that expires `lifetime` from now.
    public init(value: Secret, lifetime: Duration, principal: String, extensions: [String: String] = [:]) {
        let (seconds, attoseconds) = lifetime.components
        let interval = TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
        self.init(value: value, expiresAt: Date().addingTimeInterval(interval), principal: principal, extensions: extensions)
    }

    /// The expiry in milliseconds since the epoch, as librdkafka takes it.
    var expiresAtMilliseconds: Int64 {
        Int64((expiresAt.timeIntervalSince1970 * 1000).rounded(.down))
    }
}

/// Where OAUTHBEARER tokens come from.
public enum OAuthBearerMethod: Sendable {
    /// Fetches a token; called when the client starts and again before each token expires.
    public typealias TokenProvider = @Sendable () async throws -> OAuthBearerToken

    /// Your own code fetches tokens (from a vault, a cloud identity service, ...).
    ///
    /// It runs in a task of its own, never on librdkafka's threads, and one call at a time.
    /// A thrown error is reported to ``ClientConfiguration/onError`` as an `authentication`
    /// ``KafkaError`` (``KafkaError/securityFailure`` `.authenticationFailed`) and the
    /// provider is asked again about 10 seconds later; connections wait meanwhile.
    case tokenProvider(TokenProvider)
    /// librdkafka fetches tokens itself from an OpenID Connect token endpoint with the
    /// client-credentials grant (`sasl.oauthbearer.method=oidc`).
    case oidc(OIDCClientCredentials)

    func properties() throws(KafkaError) -> [String: String] {
        switch self {
        case .tokenProvider:
            return [:]
        case .oidc(let credentials):
            return try credentials.properties()
        }
    }
}

/// librdkafka's built-in OpenID Connect client-credentials flow (`sasl.oauthbearer.*`).
public struct OIDCClientCredentials: Sendable {
    /// The token endpoint, `https://...` (`sasl.oauthbearer.token.endpoint.url`).
    public var tokenEndpointURL: String
    /// `sasl.oauthbearer.client.id`.
    public var clientID: String
    /// `sasl.oauthbearer.client.secret`; never printed.
    public var clientSecret: Secret
    /// The scope requested, if the provider wants one (`sasl.oauthbearer.scope`).
    public var scope: String?
    /// SASL extensions sent with each token (`sasl.oauthbearer.extensions`), such as
    /// Confluent Cloud's `logicalCluster` and `identityPoolId`.
    public var extensions: [String: String]

    public init(tokenEndpointURL: String, clientID: String, clientSecret: Secret, scope: String? = nil, extensions: [String: String] = [:]) {
        self.tokenEndpointURL = tokenEndpointURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
        self.extensions = extensions
    }

    func properties() throws(KafkaError) -> [String: String] {
        let lowercasedURL = tokenEndpointURL.lowercased()
        guard lowercasedURL.hasPrefix("https://") || lowercasedURL.hasPrefix("http://") else {
            throw KafkaError(
                code: .invalidConfiguration,
                message: "oidc tokenEndpointURL must be an http(s) URL, got '\(tokenEndpointURL)'",
                property: "sasl.oauthbearer.token.endpoint.url"
            )
        }
        guard !clientID.isEmpty else {
            throw KafkaError(code: .invalidConfiguration, message: "oidc clientID is empty", property: "sasl.oauthbearer.client.id")
        }
        guard !clientSecret.isEmpty else {
            throw KafkaError(code: .invalidConfiguration, message: "oidc clientSecret is empty", property: "sasl.oauthbearer.client.secret")
        }
        var result = [
            "sasl.oauthbearer.method": "oidc",
            "sasl.oauthbearer.token.endpoint.url": tokenEndpointURL,
            "sasl.oauthbearer.client.id": clientID,
            "sasl.oauthbearer.client.secret": clientSecret.value,
        ]
        result["sasl.oauthbearer.scope"] = scope
        if !extensions.isEmpty {
            result["sasl.oauthbearer.extensions"] = extensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
        return result
    }
}
