import RdKafkaSchemaRegistry
import Testing
@testable import RdKafkaCLI

/// `consume`'s schema registry options without a broker or registry: `-s` specifications
/// and the registry configuration built from `-r` and the credential options.
@Suite("rdkafka schema registry options")
struct SchemaOptionsParsingTests {
    @Test func schemaSpecifications() throws {
        #expect(try SchemaSelection.parse(["avro"]) == SchemaSelection(key: .avro, value: .avro))
        #expect(try SchemaSelection.parse(["value=json"]) == SchemaSelection(key: nil, value: .json))
        #expect(try SchemaSelection.parse(["avro", "value=PROTOBUF"]) == SchemaSelection(key: .avro, value: .protobuf))
        #expect(try SchemaSelection.parse([]).isEmpty)
        #expect(throws: (any Error).self) { try SchemaSelection.parse(["value=xml"]) }
        #expect(throws: (any Error).self) { try SchemaSelection.parse(["header=avro"]) }
    }

    @Test func credentialsInTheURLBecomeBasicAuthentication() throws {
        let options = try SchemaRegistryOptions.parse(["-s", "avro", "-r", "https://key:se%40cret@registry.example.com:8081/"])
        let configuration = try #require(try options.configuration())
        #expect(configuration.url == "https://registry.example.com:8081/")
        guard case .basic(let username, let password) = configuration.authentication else {
            Issue.record("expected basic authentication, got \(configuration.authentication)")
            return
        }
        #expect(username == "key")
        #expect(password == "se@cret")
    }

    @Test func credentialOptions() throws {
        let basic = try #require(try SchemaRegistryOptions.parse(["-s", "avro", "-r", "http://r:8081", "--schema-registry-user", "u:p:q"]).configuration())
        guard case .basic(let username, let password) = basic.authentication else {
            Issue.record("expected basic authentication, got \(basic.authentication)")
            return
        }
        #expect(username == "u")
        #expect(password == "p:q")
        let bearer = try #require(try SchemaRegistryOptions.parse(["-s", "avro", "-r", "http://r:8081", "--schema-registry-token", "t0k"]).configuration())
        guard case .bearer(let token) = bearer.authentication else {
            Issue.record("expected a bearer token, got \(bearer.authentication)")
            return
        }
        #expect(token == "t0k")
        #expect(throws: (any Error).self) { try SchemaRegistryOptions.parse(["-s", "avro", "-r", "http://a:b@r", "--schema-registry-user", "u:p"]) }
        #expect(throws: (any Error).self) { try SchemaRegistryOptions.parse(["-s", "avro", "-r", "http://r", "--schema-registry-user", "nocolon"]) }
        #expect(throws: (any Error).self) { try SchemaRegistryOptions.parse(["-s", "avro", "-r", "http://r", "--schema-registry-user", "u:p", "--schema-registry-token", "t"]) }
        // Without -s nothing is decoded and no registry is configured.
        #expect(try SchemaRegistryOptions.parse([]).configuration() == nil)
    }
}
