import Foundation
import RdKafkaSchemaRegistry
import Testing

@Suite("Schema registry client against the in-process registry")
struct SchemaRegistryClientTests {
    @Test("register, look up, get by id, versions, latest, subjects; ids cached after the first request")
    func registerAndRead() async throws {
        let registry = try await RegistryFixture.start()
        let client = registry.client
        let v1 = Schema(CustomerSchemas.v1Text)
        let first = try await client.register(v1, subject: "customers-value")
        #expect(first.version == 1)
        #expect(first.subject == "customers-value")
        let requests = client.requestCount
        #expect(try await client.register(v1, subject: "customers-value") == first, "the same schema keeps its id")
        #expect(try await client.schema(id: first.id).text == CustomerSchemas.v1Text)
        #expect(client.requestCount == requests, "answered from the cache")

        let second = try await client.register(Schema(CustomerSchemas.v2Text), subject: "customers-value")
        #expect(second.version == 2)
        #expect(second.id != first.id)
        #expect(try await client.latestVersion(subject: "customers-value").id == second.id)
        #expect(try await client.version(1, subject: "customers-value").id == first.id)
        #expect(try await client.versions(subject: "customers-value") == [1, 2])
        #expect(try await client.subjects() == ["customers-value"])
        #expect(try await client.lookUp(v1, subject: "customers-value").version == 1)
        try await registry.stop()
    }

    @Test("compatibility checks, and registry errors carry the registry's error code")
    func compatibilityAndErrors() async throws {
        let registry = try await RegistryFixture.start()
        let client = registry.client
        _ = try await client.register(Schema(CustomerSchemas.v1Text), subject: "customers-value")
        #expect(try await client.isCompatible(Schema(CustomerSchemas.v2Text), subject: "customers-value"))
        // A new required field without a default cannot read the old records.
        let breaking = Schema(#"{"type": "record", "name": "Customer", "namespace": "com.example", "fields": [{"name": "id", "type": "long"}, {"name": "vat", "type": "string"}]}"#)
        #expect(try await !client.isCompatible(breaking, subject: "customers-value"))

        let cases: [(Int, () async throws -> Void)] = [
            (409, { _ = try await client.register(breaking, subject: "customers-value") }),
            (40401, { _ = try await client.latestVersion(subject: "nobody") }),
            (40402, { _ = try await client.version(9, subject: "customers-value") }),
            (40403, { _ = try await client.schema(id: 999) }),
            (40403, { _ = try await client.lookUp(breaking, subject: "customers-value") }),
            (42201, { _ = try await client.register(Schema("{not avro"), subject: "customers-value") }),
        ]
        for (code, call) in cases {
            let error = await #expect(throws: SchemaRegistryError.self) { try await call() }
            #expect(error?.registryErrorCode == code, "\(String(describing: error))")
        }
        try await registry.stop()
    }

    @Test("basic and bearer authentication are sent; a wrong credential is a 401 error")
    func authentication() async throws {
        let basic = try await RegistryFixture.start(
            requiredAuthorization: "Basic " + Data("key:secret".utf8).base64EncodedString(),
            authentication: .basic(username: "key", password: "secret")
        )
        #expect(try await basic.client.subjects() == [])
        let wrong = SchemaRegistryClient(configuration: .init(url: basic.server.url, authentication: .basic(username: "key", password: "nope")))
        let error = await #expect(throws: SchemaRegistryError.self) { try await wrong.subjects() }
        #expect(error?.kind == .registry(status: 401, errorCode: 401))
        try await basic.stop()

        let bearer = try await RegistryFixture.start(requiredAuthorization: "Bearer t0ken", authentication: .bearer(token: "t0ken"))
        #expect(try await bearer.client.subjects() == [])
        try await bearer.stop()
    }

    @Test("an unreachable registry is a transport error")
    func unreachable() async throws {
        let registry = try await RegistryFixture.start()
        let url = registry.server.url
        try await registry.stop()
        let client = SchemaRegistryClient(configuration: .init(url: url, requestTimeout: .seconds(5)))
        let error = await #expect(throws: SchemaRegistryError.self) { try await client.subjects() }
        #expect(error?.kind == .transport)
    }

    @Test("subject name strategies")
    func subjectNames() throws {
        #expect(try SubjectNameStrategy.topicName.subject(topic: "orders", isKey: true, recordName: "a.B") == "orders-key")
        #expect(try SubjectNameStrategy.topicName.subject(topic: "orders", isKey: false, recordName: nil) == "orders-value")
        #expect(try SubjectNameStrategy.recordName.subject(topic: "orders", isKey: false, recordName: "a.B") == "a.B")
        #expect(try SubjectNameStrategy.topicRecordName.subject(topic: "orders", isKey: false, recordName: "a.B") == "orders-a.B")
        #expect(throws: SchemaRegistryError.self) { try SubjectNameStrategy.recordName.subject(topic: "orders", isKey: false, recordName: nil) }
    }
}
