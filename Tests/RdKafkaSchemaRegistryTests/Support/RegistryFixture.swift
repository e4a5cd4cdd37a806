import RdKafkaAvro
import RdKafkaSchemaRegistry

/// An in-process registry and a client for it, for one test.
struct RegistryFixture {
    let server: InProcessSchemaRegistry
    let client: SchemaRegistryClient

    static func start(
        requiredAuthorization: String? = nil,
        authentication: SchemaRegistryConfiguration.Authentication = .none
    ) async throws -> RegistryFixture {
        let server = try await InProcessSchemaRegistry.start(requiredAuthorization: requiredAuthorization)
        let client = SchemaRegistryClient(configuration: .init(url: server.url, authentication: authentication))
        return RegistryFixture(server: server, client: client)
    }

    func stop() async throws {
        try await server.stop()
    }

    /// The set-up the serde tests start with: a registry (``start(requiredAuthorization:authentication:)``),
    /// a cluster and a fresh topic named after `topicPrefix` on it. The caller keeps the returned
    /// cluster for as long as it uses the topic: an embedded cluster ends with its last reference.
    static func startWithTopic(
        topicPrefix: String = "test"
    ) async throws -> (registry: RegistryFixture, cluster: TestCluster, topic: String) {
        let registry = try await start()
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(topicPrefix)
        return (registry, cluster, topic)
    }
}

/// The seeds' Customer record, before and after its evolution: `faxNumber` removed,
/// `email` added with a default.
enum CustomerSchemas {
    static let v1Text = """
    {"type": "record", "name": "Customer", "namespace": "com.example", "fields": [
      {"name": "id", "type": "long"},
      {"name": "name", "type": "string"},
      {"name": "faxNumber", "type": ["null", "string"], "default": null}
    ]}
    """
    static let v2Text = """
    {"type": "record", "name": "Customer", "namespace": "com.example", "fields": [
      {"name": "id", "type": "long"},
      {"name": "name", "type": "string"},
      {"name": "email", "type": "string", "default": "unknown"}
    ]}
    """
    static var v1: AvroSchema { get throws { try AvroSchema(parsing: v1Text) } }
    static var v2: AvroSchema { get throws { try AvroSchema(parsing: v2Text) } }
}

struct CustomerV1: Codable, Equatable, Sendable {
    var id: Int64
    var name: String
    var faxNumber: String?
}

struct CustomerV2: Codable, Equatable, Sendable {
    var id: Int64
    var name: String
    var email: String
}
