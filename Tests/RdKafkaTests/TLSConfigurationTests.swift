import Foundation
@testable import RdKafka
import Testing

@Suite("Security: typed TLS settings, checked at construction")
struct TLSConfigurationTests {
    static func producer(_ tls: TLSConfiguration, protocol securityProtocol: SecurityConfiguration.SecurityProtocol = .ssl) throws(KafkaError) {
        var configuration = ProducerConfiguration(bootstrapServers: ["localhost:1"])
        configuration.security = SecurityConfiguration(securityProtocol: securityProtocol, tls: tls)
        _ = try KafkaProducer(configuration: configuration)
    }

    @Test("both broker checks are on by default")
    func defaults() throws {
        let properties = try TLSConfiguration().properties()
        #expect(properties["enable.ssl.certificate.verification"] == "true")
        #expect(properties["ssl.endpoint.identification.algorithm"] == "https")
        var relaxed = TLSConfiguration()
        relaxed.verifiesBrokerHostname = false
        #expect(try relaxed.properties()["ssl.endpoint.identification.algorithm"] == "none")
    }

    @Test("a missing file is an invalidConfiguration error naming the setting", arguments: [
        (TLSConfiguration(trustRoots: .file("/nonexistent/ca.pem")), "ssl.ca.location", "tls.trustRoots"),
        (TLSConfiguration(trustRoots: .directory("/nonexistent/certs")), "ssl.ca.location", "tls.trustRoots"),
        (TLSConfiguration(certificate: .file("/nonexistent/client.pem"), privateKey: .file("/etc/hostname")), "ssl.certificate.location", "tls.certificate"),
        (TLSConfiguration(certificate: .file("/etc/hostname"), privateKey: .file("/nonexistent/client.key")), "ssl.key.location", "tls.privateKey"),
        (TLSConfiguration(crlFile: "/nonexistent/crl.pem"), "ssl.crl.location", "tls.crlFile"),
    ])
    func missingFiles(tls: TLSConfiguration, property: String, setting: String) throws {
        let error = try #require(throws: KafkaError.self) { try Self.producer(tls) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.property == property)
        #expect(error.message.contains(setting))
    }

    @Test("a directory where a file belongs, a certificate without its key, and non-PEM text are refused")
    func invalidCombinations() throws {
        let directory = try #require(throws: KafkaError.self) { try Self.producer(TLSConfiguration(trustRoots: .file("/tmp"))) }
        #expect(directory.property == "ssl.ca.location")
        let lonely = try #require(throws: KafkaError.self) { try Self.producer(TLSConfiguration(certificate: .pem("-----BEGIN CERTIFICATE-----"))) }
        #expect(lonely.property == "ssl.key.location")
        let notPEM = try #require(throws: KafkaError.self) { try Self.producer(TLSConfiguration(trustRoots: .pem("not a certificate"))) }
        #expect(notPEM.property == "ssl.ca.pem")
        let key = "not a key \(UUID())"
        let badKey = try #require(throws: KafkaError.self) {
            try Self.producer(TLSConfiguration(certificate: .pem("-----BEGIN CERTIFICATE-----"), privateKey: .pem(Secret(key))))
        }
        #expect(badKey.property == "ssl.key.pem")
        #expect(!badKey.description.contains(key))
    }

    @Test("TLS settings on a plaintext protocol are refused rather than ignored")
    func tlsWithoutTLS() throws {
        let error = try #require(throws: KafkaError.self) {
            try Self.producer(TLSConfiguration(trustRoots: .system), protocol: .saslPlaintext)
        }
        #expect(error.property == "security.protocol")
    }

    @Test("files, PEM text and the system store map to librdkafka's properties", .enabled(if: TestCertificates.openssl != nil, "needs the openssl CLI"))
    func mapping() throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let files = try TLSConfiguration(
            trustRoots: .file(certificates.caFile),
            certificate: .file(certificates.clientCertificate),
            privateKey: .file(certificates.clientKey, password: Secret("key-password")),
            verifiesBrokerHostname: false
        ).properties()
        #expect(files["ssl.ca.location"] == certificates.caFile)
        #expect(files["ssl.certificate.location"] == certificates.clientCertificate)
        #expect(files["ssl.key.location"] == certificates.clientKey)
        #expect(files["ssl.key.password"] == "key-password")
        let pem = try TLSConfiguration(
            trustRoots: .pem(certificates.contents("ca.pem")),
            certificate: .pem(certificates.contents("client.pem")),
            privateKey: .pem(Secret(certificates.contents("client.key")))
        ).properties()
        #expect(pem["ssl.ca.pem"] == (try certificates.contents("ca.pem")))
        #expect(pem["ssl.key.pem"] == (try certificates.contents("client.key")))
        #expect(try TLSConfiguration(trustRoots: .system).properties()["ssl.ca.location"] == "probe")
        // librdkafka accepts them all when the client is created.
        try Self.producer(TLSConfiguration(trustRoots: .pem(certificates.contents("ca.pem")),
                                           certificate: .pem(certificates.contents("client.pem")),
                                           privateKey: .pem(Secret(certificates.contents("client.key")))))
    }
}
