import CRdKafka
import Foundation
@testable import RdKafka
import Testing

@Suite("Security: OAUTHBEARER tokens from a Swift provider")
struct OAuthBearerTests {
    struct ProviderError: Error, CustomStringConvertible {
        var description: String { "vault unreachable" }
    }

    static func security(_ provider: @escaping OAuthBearerMethod.TokenProvider) -> SecurityConfiguration {
        SecurityConfiguration(securityProtocol: .saslPlaintext, oauthBearer: .tokenProvider(provider))
    }

    @Test("the provider is asked when the client starts and again before each token expires")
    func refreshedBeforeExpiry() async throws {
        let cluster = try TestCluster.make()
        let calls = Guarded<[ContinuousClock.Instant]>([])
        var configuration = ProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.security = Self.security {
            calls.withLock { $0.append(.now) }
            return OAuthBearerToken(value: Secret("token-\(UUID())"), lifetime: .seconds(30), principal: "alice")
        }
        configuration.logger.logLevel = .critical
        let producer = try KafkaProducer(configuration: configuration)
        try await eventually(timeout: .seconds(60), "a second token request") { calls.withLock { $0.count >= 2 } }
        await producer.close(timeout: .seconds(1))
        let times = calls.withLock { $0 }
        // librdkafka asks at 80 % of the lifetime (24 s, checked once a second): the new
        // token comes before the old one expires, and not long before. The 6 s margin
        // absorbs a loaded machine's late wake-ups.
        let interval = times[0].duration(to: times[1])
        #expect(interval < .seconds(30))
        #expect(interval > .seconds(15))
    }

    @Test("consumers and admin clients ask the provider too")
    func consumerAndAdmin() async throws {
        let cluster = try TestCluster.make()
        let calls = Guarded(0)
        let security = Self.security {
            calls.withLock { $0 += 1 }
            return OAuthBearerToken(value: Secret("token"), lifetime: .seconds(60), principal: "alice")
        }
        var consumerConfiguration = ConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: "g")
        consumerConfiguration.security = security
        consumerConfiguration.logger.logLevel = .critical
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        try await eventually(timeout: .seconds(10), "the consumer's token request") { calls.withLock { $0 } >= 1 }
        await consumer.close(timeout: .seconds(2))

        var adminConfiguration = AdminConfiguration(bootstrapServers: cluster.bootstrapServers)
        adminConfiguration.security = security
        adminConfiguration.logger.logLevel = .critical
        let admin = try KafkaAdminClient(configuration: adminConfiguration)
        try await eventually(timeout: .seconds(10), "the admin client's token request") { calls.withLock { $0 } >= 2 }
        await admin.close()
    }

    @Test("a failing provider becomes a typed authentication error on onError and is asked again")
    func failingProvider() async throws {
        let cluster = try TestCluster.make()
        let attempts = Guarded(0)
        let errors = Guarded<[KafkaError]>([])
        var configuration = ProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.security = Self.security {
            let attempt = attempts.withLock { count in
                count += 1
                return count
            }
            if attempt == 1 { throw ProviderError() }
            return OAuthBearerToken(value: Secret("token"), lifetime: .seconds(60), principal: "alice")
        }
        configuration.logger.logLevel = .critical
        configuration.onError = { error in errors.withLock { $0.append(error) } }
        let producer = try KafkaProducer(configuration: configuration)
        // librdkafka asks again 10 seconds after a failure.
        try await eventually(timeout: .seconds(25), "a second token request") { attempts.withLock { $0 } >= 2 }
        await producer.close(timeout: .seconds(1))
        let failure = try #require(errors.withLock { $0.first { $0.code == .authentication } })
        #expect(failure.message.contains("vault unreachable"))
        #expect(failure.securityFailure == .authenticationFailed)
    }

    @Test("a token librdkafka refuses (a reserved extension key) is reported, not dropped")
    func refusedToken() async throws {
        let cluster = try TestCluster.make()
        let errors = Guarded<[KafkaError]>([])
        var configuration = ProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.security = Self.security {
            OAuthBearerToken(value: Secret("token"), lifetime: .seconds(60), principal: "alice", extensions: ["auth": "x"])
        }
        configuration.logger.logLevel = .critical
        configuration.onError = { error in errors.withLock { $0.append(error) } }
        let producer = try KafkaProducer(configuration: configuration)
        try await eventually(timeout: .seconds(10), "the refusal") {
            errors.withLock { $0.contains { $0.code == .authentication } }
        }
        await producer.close(timeout: .seconds(1))
        let refusal = try #require(errors.withLock { $0.first { $0.code == .authentication } })
        #expect(refusal.message.contains("refused"))
    }

    @Test("OIDC client credentials map to librdkafka's sasl.oauthbearer properties")
    func oidcProperties() throws {
        let credentials = OIDCClientCredentials(
            tokenEndpointURL: "https://idp.example/oauth2/token",
            clientID: "billing",
            clientSecret: Secret("s3cret"),
            scope: "kafka",
            extensions: ["logicalCluster": "lkc-1", "identityPoolId": "pool-2"]
        )
        let properties = try SecurityConfiguration(securityProtocol: .saslSSL, oauthBearer: .oidc(credentials)).properties()
        #expect(properties["sasl.mechanism"] == "OAUTHBEARER")
        #expect(properties["sasl.oauthbearer.method"] == "oidc")
        #expect(properties["sasl.oauthbearer.token.endpoint.url"] == "https://idp.example/oauth2/token")
        #expect(properties["sasl.oauthbearer.client.id"] == "billing")
        #expect(properties["sasl.oauthbearer.client.secret"] == "s3cret")
        #expect(properties["sasl.oauthbearer.scope"] == "kafka")
        #expect(properties["sasl.oauthbearer.extensions"] == "identityPoolId=pool-2,logicalCluster=lkc-1")
        // Debian's librdkafka 2.0.2 is built without libcurl, so without OIDC: the client
        // then refuses the settings at construction, naming the property.
        var configuration = ProducerConfiguration(bootstrapServers: ["localhost:1"])
        configuration.security = SecurityConfiguration(securityProtocol: .saslSSL, oauthBearer: .oidc(credentials))
        if Self.librdkafkaSupportsOIDC {
            _ = try KafkaProducer(configuration: configuration)
        } else {
            let unsupported = try #require(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
            #expect(unsupported.code == .invalidConfiguration)
            #expect(unsupported.property?.hasPrefix("sasl.oauthbearer.") == true)
            #expect(unsupported.message.contains("not supported in this build"))
            #expect(!unsupported.description.contains("s3cret"))
        }

        var bad = credentials
        bad.tokenEndpointURL = "idp.example"
        let error = try #require(throws: KafkaError.self) { try SecurityConfiguration(oauthBearer: .oidc(bad)).properties() }
        #expect(error.property == "sasl.oauthbearer.token.endpoint.url")
        let conflicting = try #require(throws: KafkaError.self) {
            try SecurityConfiguration(saslMechanism: .plain, oauthBearer: .oidc(credentials)).properties()
        }
        #expect(conflicting.property == "sasl.mechanism")
    }

    /// Whether this librdkafka was built with OIDC (libcurl): `builtin.features` lists `oidc`.
    static var librdkafkaSupportsOIDC: Bool {
        let configuration = rd_kafka_conf_new()
        defer { rd_kafka_conf_destroy(configuration) }
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        guard rd_kafka_conf_get(configuration, "builtin.features", &buffer, &size) == RD_KAFKA_CONF_OK else { return false }
        let features = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return features.split(separator: ",").contains("oidc")
    }

    @Test("one provider call at a time: a request during a call starts nothing new")
    func stateMachine() {
        var machine = TokenRefreshStateMachine()
        #expect(machine.refreshRequested() == .fetch)
        #expect(machine.refreshRequested() == .none)
        machine.fetchFinished()
        #expect(machine.state == .idle)
        #expect(machine.refreshRequested() == .fetch)
    }
}
