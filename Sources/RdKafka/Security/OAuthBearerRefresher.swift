/// Answers librdkafka's OAUTHBEARER token refreshes with the application's token provider.
///
/// The provider runs in a task of its own, never on librdkafka's thread. Its token is
/// handed over with `rd_kafka_oauthbearer_set_token`; a thrown error (or a token librdkafka
/// refuses) with `rd_kafka_oauthbearer_set_token_failure`, after which librdkafka reports an
/// `_AUTHENTICATION` error through the client's normal error path (``ClientConfiguration/onError``)
/// and asks again 10 seconds later.
final class OAuthBearerRefresher: NativeTokenRefreshHandler {
    private let provider: OAuthBearerMethod.TokenProvider
    private let state = Locked(TokenRefreshStateMachine())
    /// Weak: the client owns its callback context, which owns this refresher.
    private let client = Locked(WeakClient())

    private struct WeakClient {
        weak var client: NativeClient?
    }

    private init(provider: @escaping OAuthBearerMethod.TokenProvider) {
        self.provider = provider
    }

    /// A refresher for a client configured with a token provider, its refresh callback
    /// installed on `native`; `nil` (and nothing installed) otherwise.
    static func install(for configuration: ClientConfiguration, on native: NativeConfiguration) -> OAuthBearerRefresher? {
        guard let provider = configuration.security.tokenProvider else { return nil }
        NativeOAuthBearer.installRefreshCallback(on: native)
        return OAuthBearerRefresher(provider: provider)
    }

    /// Starts answering refreshes for `client`; librdkafka's first request is already waiting.
    func start(with client: NativeClient) throws(KafkaError) {
        self.client.withLock { $0.client = client }
        try NativeOAuthBearer.serveOnBackgroundThread(client.pointer)
    }

    func tokenRefreshRequested() {
        guard state.withLock({ $0.refreshRequested() }) == .fetch else { return }
        Task { await self.refresh() }
    }

    private func refresh() async {
        let outcome: Result<OAuthBearerToken, any Error>
        do {
            outcome = .success(try await provider())
        } catch {
            outcome = .failure(error)
        }
        let client = self.client.withLock { $0.client }
        _ = client?.withLiveHandle { handle in
            switch outcome {
            case .success(let token):
                let refusal = NativeOAuthBearer.setToken(
                    handle,
                    value: token.value.value,
                    expiresAtMilliseconds: token.expiresAtMilliseconds,
                    principal: token.principal,
                    extensions: token.extensions.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
                )
                if let refusal {
                    NativeOAuthBearer.setTokenFailure(handle, reason: "librdkafka refused the provider's token: \(refusal)")
                }
            case .failure(let error):
                NativeOAuthBearer.setTokenFailure(handle, reason: "the token provider failed: \(error)")
            }
        }
        state.withLock { $0.fetchFinished() }
    }
}
