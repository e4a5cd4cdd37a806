import Foundation
import Logging
@testable import RdKafka
import Testing

/// Secrets never leak: not through a configuration's description or dump, log lines (debug
/// contexts included), configuration errors, client errors or statistics.
@Suite("Security: secrets are redacted everywhere")
struct SecretRedactionTests {
    static let password = "hunter2-\(UUID().uuidString.prefix(8))"
    static let keyPassword = "keypass-\(UUID().uuidString.prefix(8))"
    static let clientSecret = "oidc-secret-\(UUID().uuidString.prefix(8))"
    static let passthroughSecret = "pass-through-\(UUID().uuidString.prefix(8))"
    static let privateKey = "-----BEGIN PRIVATE KEY-----\nMIGH\(UUID().uuidString)\n-----END PRIVATE KEY-----\n"
    static var secrets: [String] { [password, keyPassword, clientSecret, passthroughSecret, privateKey, "MIGH"] }

    static func security() -> SecurityConfiguration {
        SecurityConfiguration(
            securityProtocol: .saslSSL,
            tls: TLSConfiguration(
                certificate: .pem("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"),
                privateKey: .pem(Secret(privateKey), password: Secret(keyPassword))
            ),
            saslUsername: "alice",
            oauthBearer: .oidc(OIDCClientCredentials(
                tokenEndpointURL: "https://idp.example/token", clientID: "billing", clientSecret: Secret(clientSecret)
            ))
        )
    }

    static func passthrough() -> [String: String] {
        [
            "sasl.oauthbearer.client.secret": passthroughSecret,
            "ssl.keystore.password": passthroughSecret,
            "my.plugin.token": passthroughSecret,
            "socket.keepalive.enable": "true",
        ]
    }

    /// Every way Swift turns a value into text.
    static func renderings(of value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        var printed = ""
        print(value, to: &printed)
        return [String(describing: value), String(reflecting: value), dumped, printed, "\(value)"]
    }

    static func expectRedacted(_ value: Any, showing visible: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for text in renderings(of: value) {
            for secret in secrets {
                #expect(!text.contains(secret), "a secret shows in: \(text)", sourceLocation: sourceLocation)
            }
            #expect(text.contains("<redacted>"), "nothing marked redacted in: \(text)", sourceLocation: sourceLocation)
            for shown in visible {
                #expect(text.contains(shown), "'\(shown)' should still show in: \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a Secret shows as <redacted> however it is printed")
    func secretValue() {
        Self.expectRedacted(Secret(Self.password), showing: [])
        Self.expectRedacted(Optional(Secret(Self.password)) as Any, showing: [])
    }

    @Test("SecurityConfiguration and TLSConfiguration hide passwords, keys and client secrets")
    func securityConfiguration() {
        var security = Self.security()
        security.saslPassword = Secret(Self.password)
        Self.expectRedacted(security, showing: ["alice", "billing", "idp.example"])
        Self.expectRedacted(security.tls, showing: ["BEGIN CERTIFICATE"])
    }

    @Test("client, producer, consumer and admin configurations hide typed and passthrough secrets")
    func clientConfigurations() {
        var producer = ProducerConfiguration(bootstrapServers: ["broker:9092"], properties: Self.passthrough())
        producer.security = Self.security()
        producer.security.saslPassword = Secret(Self.password)
        var consumer = ConsumerConfiguration(bootstrapServers: ["broker:9092"], groupID: "billing-group", properties: Self.passthrough())
        consumer.security = producer.security
        var admin = AdminConfiguration(bootstrapServers: ["broker:9092"])
        admin.security = producer.security
        admin.properties = Self.passthrough()

        let visible = ["broker:9092", "alice", "socket.keepalive.enable", "my.plugin.token", "ssl.keystore.password"]
        Self.expectRedacted(producer.client, showing: visible)
        Self.expectRedacted(producer, showing: visible)
        Self.expectRedacted(consumer, showing: visible + ["billing-group"])
        Self.expectRedacted(admin, showing: visible)
    }

    @Test("a configuration error does not echo a secret, even one given to the wrong property")
    func configurationErrors() throws {
        var configuration = ProducerConfiguration(bootstrapServers: ["localhost:1"])
        configuration.security.saslMechanism = .plain
        configuration.security.saslPassword = Secret(Self.password)
        // The password pasted into a property librdkafka validates, which quotes bad values.
        configuration.properties["compression.type"] = Self.password
        let error = try #require(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.property == "compression.type")
        #expect(!error.description.contains(Self.password))
        #expect(error.message.contains("<redacted>"))

        var passthrough = ProducerConfiguration(bootstrapServers: ["localhost:1"])
        passthrough.properties["ssl.keystore.password"] = Self.passthroughSecret
        passthrough.properties["queue.buffering.max.messages"] = Self.passthroughSecret
        let second = try #require(throws: KafkaError.self) { try KafkaProducer(configuration: passthrough) }
        #expect(second.property == "queue.buffering.max.messages")
        #expect(!second.description.contains(Self.passthroughSecret))
    }

    @Test("no log line shows the password, with every debug context on")
    func logLines() async throws {
        let cluster = try TestCluster.make()
        let (logger, store) = InMemoryLogHandler.logger(level: .debug)
        var configuration = ProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.security.securityProtocol = .saslPlaintext
        configuration.security.saslMechanism = .plain
        configuration.security.saslUsername = "alice"
        configuration.security.saslPassword = Secret(Self.password)
        configuration.properties["ssl.keystore.password"] = Self.passthroughSecret
        // The secret also given where librdkafka would print it: the client id.
        configuration.clientID = "billing-\(Self.password)"
        configuration.debug = ["all"]
        configuration.logger = logger
        let producer = try KafkaProducer(configuration: configuration)
        try await eventually(timeout: .seconds(15), "SASL debug lines") {
            store.all.contains { $0.message.contains("SASL") && $0.message.contains("PLAIN") }
        }
        await producer.close(timeout: .seconds(1))
        let lines = store.all
        #expect(lines.count > 20)
        #expect(lines.contains { $0.message.contains("billing-<redacted>") })
        for line in lines {
            #expect(!line.message.contains(Self.password), "\(line.message)")
            #expect(!line.message.contains(Self.passthroughSecret), "\(line.message)")
            #expect(!"\(line.metadata)".contains(Self.password))
        }
    }

    @Test("client errors and librdkafka's statistics JSON do not show the secret")
    func errorsAndStatistics() async throws {
        let errors = Guarded<[KafkaError]>([])
        let statistics = Guarded<[String]>([])
        // No broker listens on port 1: connection errors follow.
        var configuration = ConsumerConfiguration(bootstrapServers: ["127.0.0.1:1"], groupID: "group")
        // The secret also given where statistics repeat it: the client id.
        configuration.clientID = "billing-\(Self.password)"
        configuration.security.saslPassword = Secret(Self.password)
        configuration.statisticsInterval = .milliseconds(100)
        configuration.logger.logLevel = .critical
        configuration.onError = { error in errors.withLock { $0.append(error) } }
        let consumer = try KafkaConsumer(
            configuration: configuration,
            keyDeserializer: .bytes,
            valueDeserializer: .bytes,
            onStatistics: { json in statistics.withLock { $0.append(json) } }
        )
        try await eventually(timeout: .seconds(15), "statistics and a connection error") {
            !errors.withLock { $0.isEmpty } && !statistics.withLock { $0.isEmpty }
        }
        await consumer.close(timeout: .seconds(2))
        for json in statistics.withLock({ $0 }) {
            #expect(json.contains("billing-<redacted>"))
            #expect(!json.contains(Self.password))
        }
        for error in errors.withLock({ $0 }) {
            #expect(!error.description.contains(Self.password))
        }
    }

    @Test("the scrubber leaves short values alone and replaces longer secrets whole")
    func scrubber() {
        let scrubber = SecretScrubber(secrets: ["abc", "hunter2", "hunter2-longer"])
        #expect(scrubber.scrub("abc hunter2 hunter2-longer") == "abc <redacted> <redacted>")
        #expect(SecretScrubber(properties: ["sasl.password": "s3cret!", "client.id": "s3cret!x"]).scrub("s3cret!x") == "<redacted>x")
        #expect(SensitiveProperty.isSensitive("ssl.key.pem"))
        #expect(SensitiveProperty.isSensitive("SASL.PASSWORD"))
        #expect(!SensitiveProperty.isSensitive("sasl.username"))
    }
}
