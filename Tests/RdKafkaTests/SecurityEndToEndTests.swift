import Foundation
import RdKafka
import Testing

/// TLS and SASL proven on loopback: the test cluster behind Tests/Tools/kafka_security_proxy.py,
/// which terminates TLS and checks SASL credentials, with certificates made for the test.
@Suite("Security: TLS, mutual TLS and SASL end to end", .enabled(if: SecurityProxy.isAvailable, SecurityProxy.unavailableReason))
struct SecurityEndToEndTests {
    static let values = ["secure-0", "secure-1", "secure-2"]

    static func tls(_ certificates: TestCertificates, trusting ca: String? = nil) -> SecurityConfiguration {
        SecurityConfiguration(securityProtocol: .ssl, tls: TLSConfiguration(trustRoots: .file(ca ?? certificates.caFile)))
    }

    static func tlsProxy(_ cluster: TestCluster, _ certificates: TestCertificates, wrongHost: Bool = false, extra: [String] = []) async throws -> SecurityProxy {
        try await SecurityProxy.start(backend: cluster.bootstrapServers[0], [
            "--advertise-host", "localhost",
            "--tls-cert", wrongHost ? certificates.wrongHostCertificate : certificates.brokerCertificate,
            "--tls-key", wrongHost ? certificates.wrongHostKey : certificates.brokerKey,
        ] + extra)
    }

    @Test("TLS with the right CA (as a file, then as PEM text) connects, produces and consumes")
    func tlsRightCA() async throws {
        let cluster = try TestCluster.make()
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let proxy = try await Self.tlsProxy(cluster, certificates)
        #expect(try await cluster.roundTrip(through: proxy.bootstrapServers, security: Self.tls(certificates)) == Self.values)
        let pem = SecurityConfiguration(securityProtocol: .ssl, tls: TLSConfiguration(trustRoots: .pem(try certificates.contents("ca.pem"))))
        #expect(try await cluster.roundTrip(through: proxy.bootstrapServers, security: pem) == Self.values)
    }

    @Test("a broker certificate from another CA fails with untrustedBrokerCertificate")
    func tlsWrongCA() async throws {
        let cluster = try TestCluster.make()
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let proxy = try await Self.tlsProxy(cluster, certificates)
        let error = try await firstSecurityError(servers: proxy.bootstrapServers, security: Self.tls(certificates, trusting: certificates.otherCAFile))
        #expect(error.code == .ssl)
        #expect(error.securityFailure == .untrustedBrokerCertificate)
        #expect(error.message.contains("not signed by a trusted CA"))
    }

    @Test("a trusted certificate for another host fails with brokerHostnameMismatch")
    func tlsWrongHostname() async throws {
        let cluster = try TestCluster.make()
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let proxy = try await Self.tlsProxy(cluster, certificates, wrongHost: true)
        let error = try await firstSecurityError(servers: proxy.bootstrapServers, security: Self.tls(certificates))
        #expect(error.code == .ssl)
        #expect(error.securityFailure == .brokerHostnameMismatch)

        // The same broker is accepted once hostname verification is turned off: the CA was right.
        var relaxed = Self.tls(certificates)
        relaxed.tls.verifiesBrokerHostname = false
        #expect(try await cluster.roundTrip(through: proxy.bootstrapServers, security: relaxed) == Self.values)
    }

    @Test("mutual TLS: the client's certificate is presented and required")
    func mutualTLS() async throws {
        let cluster = try TestCluster.make()
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let proxy = try await Self.tlsProxy(cluster, certificates, extra: ["--client-ca", certificates.caFile])
        var security = Self.tls(certificates)
        security.tls.certificate = .file(certificates.clientCertificate)
        security.tls.privateKey = .pem(Secret(try certificates.contents("client.key")))
        #expect(try await cluster.roundTrip(through: proxy.bootstrapServers, security: security) == Self.values)
        #expect(proxy.events.contains("TLS CLIENT swift-rdkafka-client"))

        // Without a certificate the proxy ends the connection during the handshake. With TLS
        // 1.3 the client learns it only as the connection closing (a Java broker sends a
        // certificate_required alert first, which librdkafka reports as `_SSL`).
        let clientsBefore = proxy.events.filter { $0.hasPrefix("TLS CLIENT") }.count
        let refused = try await firstError(servers: proxy.bootstrapServers, security: Self.tls(certificates)) {
            $0.code == .ssl || $0.code == .transport
        }
        #expect(refused.message.contains("SSL"))
        #expect(proxy.events.filter { $0.hasPrefix("TLS CLIENT") }.count == clientsBefore)
    }

    static func sasl(_ mechanism: SecurityConfiguration.SASLMechanism, password: String, overTLS certificates: TestCertificates? = nil) -> SecurityConfiguration {
        var security = SecurityConfiguration(
            securityProtocol: certificates == nil ? .saslPlaintext : .saslSSL,
            saslMechanism: mechanism,
            saslUsername: "alice",
            saslPassword: Secret(password)
        )
        if let certificates { security.tls.trustRoots = .file(certificates.caFile) }
        return security
    }

    @Test("SASL with the right password connects; a wrong one is a typed authentication error", arguments: [
        SecurityConfiguration.SASLMechanism.plain, .scramSHA256, .scramSHA512,
    ])
    func sasl(mechanism: SecurityConfiguration.SASLMechanism) async throws {
        let cluster = try TestCluster.make()
        let proxy = try await SecurityProxy.start(backend: cluster.bootstrapServers[0], [
            "--sasl", mechanism.rawValue, "--user", "alice:wonderland",
        ])
        #expect(try await cluster.roundTrip(through: proxy.bootstrapServers, security: Self.sasl(mechanism, password: "wonderland")) == Self.values)
        #expect(proxy.events.contains("AUTH OK \(mechanism.rawValue) alice"))

        let error = try await firstSecurityError(servers: proxy.bootstrapServers, security: Self.sasl(mechanism, password: "looking-glass"))
        #expect(error.code == .authentication)
        #expect(error.securityFailure == .authenticationFailed)
        #expect(!error.description.contains("looking-glass"))
        #expect(proxy.events.contains("AUTH FAIL \(mechanism.rawValue) alice"))
    }

    @Test("SCRAM over TLS (sasl_ssl) connects, produces and consumes")
    func scramOverTLS() async throws {
        let cluster = try TestCluster.make()
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let proxy = try await Self.tlsProxy(cluster, certificates, extra: ["--sasl", "SCRAM-SHA-512", "--user", "alice:wonderland"])
        let security = Self.sasl(.scramSHA512, password: "wonderland", overTLS: certificates)
        #expect(try await cluster.roundTrip(through: proxy.bootstrapServers, security: security) == Self.values)
        #expect(proxy.events.contains("AUTH OK SCRAM-SHA-512 alice"))
    }

    @Test("OAUTHBEARER: the provider's token and extensions reach the broker; a wrong token is refused")
    func oauthBearer() async throws {
        let cluster = try TestCluster.make()
        let proxy = try await SecurityProxy.start(backend: cluster.bootstrapServers[0], [
            "--sasl", "OAUTHBEARER", "--oauth-token", "good-token",
        ])
        let security = SecurityConfiguration(securityProtocol: .saslPlaintext, oauthBearer: .tokenProvider {
            OAuthBearerToken(value: Secret("good-token"), lifetime: .seconds(300), principal: "alice", extensions: ["traceID": "abc"])
        })
        #expect(try await cluster.roundTrip(through: proxy.bootstrapServers, security: security) == Self.values)
        #expect(proxy.events.contains("OAUTH good-token traceID=abc"))

        let wrong = SecurityConfiguration(securityProtocol: .saslPlaintext, oauthBearer: .tokenProvider {
            OAuthBearerToken(value: Secret("stale-token"), lifetime: .seconds(300), principal: "alice")
        })
        let error = try await firstSecurityError(servers: proxy.bootstrapServers, security: wrong)
        #expect(error.securityFailure == .authenticationFailed)
    }
}
