import Logging

/// Receives an admin client's client-level events on librdkafka's background thread.
/// (Request results do not come here: each goes straight to the request that asked for it.)
final class AdminEventReceiver: ClientEventForwarding {
    let clientEvents: ClientEventHandlers

    init(configuration: ClientConfiguration, statistics: ClientStatistics?) {
        self.clientEvents = ClientEventHandlers(
            configuration: configuration,
            clientKind: "admin client",
            onStatistics: statistics?.jsonHandler
        )
    }
}
