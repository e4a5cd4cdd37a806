/// What a client sets up for its security settings: installed on the configuration before
/// the client is created, started once it exists.
struct ClientSecurity {
    /// Answers OAUTHBEARER refreshes, when the application provides tokens.
    let tokenRefresher: OAuthBearerRefresher?
    /// Keeps the configured secrets out of errors, logs and statistics.
    let scrubber: SecretScrubber

    init(configuration: ClientConfiguration, native: NativeConfiguration) {
        tokenRefresher = OAuthBearerRefresher.install(for: configuration, on: native)
        if configuration.usesTLS, configuration.properties["enable.ssl.certificate.verification"] != "false",
           configuration.security.tls.verifiesBrokerCertificate {
            NativeTLSVerification.install(on: native)
        }
        scrubber = configuration.secretScrubber
    }

    /// Starts what needs the client: the token refresher.
    func start(_ client: NativeClient) throws(KafkaError) {
        try tokenRefresher?.start(with: client)
    }
}

extension ClientSecurity {
    /// Runs `body`, removing the configured secrets from the error it throws.
    func scrubbing<T>(_ body: () throws(KafkaError) -> T) throws(KafkaError) -> T {
        try scrubber.scrubbing(body)
    }
}
