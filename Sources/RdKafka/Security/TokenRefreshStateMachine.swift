/// When to call an OAUTHBEARER token provider: at most one call at a time.
///
/// librdkafka asks for a token at start, at 80 % of each token's lifetime and 10 seconds
/// after a failure. A request that arrives while the provider is still working is answered
/// by that call, so it starts nothing new.
struct TokenRefreshStateMachine {
    enum State: Equatable {
        case idle
        case fetching
    }

    enum Action: Equatable {
        /// Call the provider and hand its outcome to librdkafka.
        case fetch
        /// A call is already under way.
        case none
    }

    private(set) var state = State.idle

    mutating func refreshRequested() -> Action {
        switch state {
        case .idle:
            state = .fetching
            return .fetch
        case .fetching:
            return .none
        }
    }

    /// The provider's outcome has been handed to librdkafka.
    mutating func fetchFinished() {
        state = .idle
    }
}
