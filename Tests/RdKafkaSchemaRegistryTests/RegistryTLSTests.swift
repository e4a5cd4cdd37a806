import Foundation
import RdKafkaTestSupport
import NIOSSL
import RdKafkaSchemaRegistry
import Testing

/// The client over HTTPS, trusting the registry's self-signed certificate through its
/// `tlsConfiguration`. The certificate is made by the `openssl` command at test time.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs /usr/bin/openssl to make a test certificate"))
struct RegistryTLSTests {
    @Test("HTTPS with a custom trust root works; without it the certificate is refused")
    func tls() async throws {
        let files = try SelfSignedCertificate.make(prefix: "registry-tls")
        defer { files.remove() }
        let certificate = try #require(try NIOSSLCertificate.fromPEMFile(files.certificatePath).first)
        let key = try NIOSSLPrivateKey(file: files.keyPath, format: .pem)
        let context = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        let server = try await InProcessSchemaRegistry.start(tls: context)
        #expect(server.url.hasPrefix("https://"))

        var trusting = TLSConfiguration.makeClientConfiguration()
        trusting.trustRoots = .certificates([certificate])
        let client = SchemaRegistryClient(configuration: .init(url: server.url, tlsConfiguration: trusting))
        let registered = try await client.register(Schema(CustomerSchemas.v1Text), subject: "customers-value")
        #expect(try await client.schema(id: registered.id).text == CustomerSchemas.v1Text)

        // AsyncHTTPClient keeps retrying the connection until the deadline, hence a short one.
        let untrusting = SchemaRegistryClient(configuration: .init(url: server.url, requestTimeout: .seconds(2)))
        let error = await #expect(throws: SchemaRegistryError.self) { try await untrusting.subjects() }
        #expect(error?.kind == .transport)
        try await server.stop()
    }
}
