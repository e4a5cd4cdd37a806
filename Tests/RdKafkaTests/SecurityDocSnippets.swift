import Foundation
import RdKafka

// The code in docs/security.md, kept compiling. Never called: it needs real clusters and
// credentials. If it stops compiling, fix the guide too.

private struct IssuedToken {
    var jwt: String
    var expiresIn: Int
    var subject: String
}

private protocol IdentityService: Sendable {
    func fetchKafkaToken() async throws -> IssuedToken
}

private func securityGuide(identityService: some IdentityService, keyPassword: String, password: String, clientSecret: String) {
    _ = Secret(ProcessInfo.processInfo.environment["KAFKA_PASSWORD"] ?? "")

    var configuration = ProducerConfiguration(bootstrapServers: ["kafka-1.internal:9093"])
    configuration.security = SecurityConfiguration(
        securityProtocol: .ssl,
        tls: TLSConfiguration(trustRoots: .file("/etc/kafka/ca.pem"))
    )

    configuration.onError = { error in
        switch error.securityFailure {
        case .brokerHostnameMismatch?: print("check bootstrapServers: the certificate is for another host")
        case .untrustedBrokerCertificate?: print("check tls.trustRoots")
        case .authenticationFailed?: print("check the credentials")
        default: break
        }
    }

    configuration.security = SecurityConfiguration(
        securityProtocol: .ssl,
        tls: TLSConfiguration(
            trustRoots: .file("/etc/kafka/ca.pem"),
            certificate: .file("/etc/kafka/client.pem"),
            privateKey: .file("/etc/kafka/client.key", password: Secret(keyPassword))
        )
    )

    configuration.security = SecurityConfiguration(
        securityProtocol: .saslSSL,
        tls: TLSConfiguration(trustRoots: .file("/etc/kafka/ca.pem")),
        saslMechanism: .scramSHA512,
        saslUsername: "billing",
        saslPassword: Secret(password)
    )

    configuration.security = SecurityConfiguration(
        securityProtocol: .saslSSL,
        tls: TLSConfiguration(trustRoots: .system),
        oauthBearer: .tokenProvider {
            let token = try await identityService.fetchKafkaToken()
            return OAuthBearerToken(
                value: Secret(token.jwt),
                lifetime: .seconds(token.expiresIn),
                principal: token.subject,
                extensions: ["logicalCluster": "lkc-1"]
            )
        }
    )

    configuration.security = SecurityConfiguration(
        securityProtocol: .saslSSL,
        oauthBearer: .oidc(OIDCClientCredentials(
            tokenEndpointURL: "https://idp.example.com/oauth2/token",
            clientID: "billing",
            clientSecret: Secret(clientSecret),
            scope: "kafka",
            extensions: ["logicalCluster": "lkc-1", "identityPoolId": "pool-2"]
        ))
    )
}
