import AsyncHTTPClient
import NIOSSL

/// Where a schema registry is and how to talk to it.
public struct SchemaRegistryConfiguration: Sendable {
    /// How requests authenticate.
    public enum Authentication: Sendable {
        case none
        /// HTTP basic authentication (Confluent Cloud: API key and secret).
        case basic(username: String, password: String)
        /// A bearer token, sent as `Authorization: Bearer <token>`.
        case bearer(token: String)
    }

    /// The registry's base URL, e.g. `https://registry.example.com:8081`.
    public var url: String
    public var authentication: Authentication
    /// TLS settings for an `https` URL (custom CA, client certificate); `nil` uses the
    /// system's trust roots.
    public var tlsConfiguration: TLSConfiguration?
    /// How long one request may take.
    public var requestTimeout: Duration

    public init(
        url: String,
        authentication: Authentication = .none,
        tlsConfiguration: TLSConfiguration? = nil,
        requestTimeout: Duration = .seconds(10)
    ) {
        self.url = url
        self.authentication = authentication
        self.tlsConfiguration = tlsConfiguration
        self.requestTimeout = requestTimeout
    }
}
