/// How a ``KafkaAdminClient`` connects and how long its requests may take.
///
/// The shared client settings (``ClientConfiguration``) are reachable directly, as in
/// `configuration.bootstrapServers`.
@dynamicMemberLookup
public struct AdminConfiguration: Sendable {
    /// Settings shared with producers and consumers.
    public var client: ClientConfiguration
    /// How long a request may take when the call does not name its own timeout. Every admin
    /// request has one, so no call waits forever for an unresponsive controller.
    public var defaultTimeout: Duration

    public init(bootstrapServers: [String], clientID: String? = nil, defaultTimeout: Duration = .seconds(30)) {
        self.client = ClientConfiguration(bootstrapServers: bootstrapServers, clientID: clientID)
        self.defaultTimeout = defaultTimeout
    }

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<ClientConfiguration, T>) -> T {
        get { client[keyPath: keyPath] }
        set { client[keyPath: keyPath] = newValue }
    }
}
