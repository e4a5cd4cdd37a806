import Logging

/// Receives an admin client's client-level events on librdkafka's background thread.
/// (Request results do not come here: each goes straight to the request that asked for it.)
final class AdminEventReceiver: NativeEventReceiver {
    private let logger: Logger
    private let onError: (@Sendable (KafkaError) -> Void)?
    private let onThrottle: (@Sendable (ThrottleEvent) -> Void)?
    private let statistics: ClientStatistics?

    init(configuration: ClientConfiguration, statistics: ClientStatistics?) {
        self.logger = configuration.logger
        self.onError = configuration.onError
        self.onThrottle = configuration.onThrottle
        self.statistics = statistics
    }

    func didDeliver(_ report: NativeDeliveryReport) {}
    func didFinishDeliveryBatch() {}

    func didReceive(error: KafkaError) {
        if let onError {
            onError(error)
        } else {
            logger.warning("librdkafka reported an error", metadata: ["error": "\(error)"])
        }
    }

    func didReceive(throttle: ThrottleEvent) {
        onThrottle?(throttle)
    }

    func didReceive(statisticsJSON: String) {
        statistics?.handle(json: statisticsJSON)
    }

    func didReceive(logLevel: Int32, facility: String, message: String, clientName: String) {
        logger.log(
            level: Logger.Level(syslogLevel: logLevel),
            "\(message)",
            metadata: ["rdkafka.facility": "\(facility)", "rdkafka.client": "\(clientName)"]
        )
    }
}
