import Logging

/// What every client does with librdkafka's client-level events — errors, throttling,
/// statistics and log lines — whatever kind of client it is.
struct ClientEventHandlers: Sendable {
    let logger: Logger
    /// "producer", "consumer" or "admin client", for log messages.
    let clientKind: String
    private let onError: (@Sendable (KafkaError) -> Void)?
    private let onThrottle: (@Sendable (ThrottleEvent) -> Void)?
    private let onStatistics: (@Sendable (String) -> Void)?
    /// Keeps configured secrets out of everything passed on from librdkafka.
    let scrubber: SecretScrubber

    init(configuration: ClientConfiguration, clientKind: String, onStatistics: (@Sendable (String) -> Void)?) {
        self.logger = configuration.logger
        self.scrubber = configuration.secretScrubber
        self.clientKind = clientKind
        self.onError = configuration.onError
        self.onThrottle = configuration.onThrottle
        self.onStatistics = onStatistics
    }

    func report(_ error: KafkaError) {
        let error = scrubber.scrub(error)
        if let onError {
            onError(error)
        } else {
            logger.warning("librdkafka reported an error", metadata: ["error": "\(error)"])
        }
    }

    func report(_ throttle: ThrottleEvent) {
        if let onThrottle {
            onThrottle(throttle)
        } else {
            logger.notice(
                "broker throttled the \(clientKind)",
                metadata: ["broker": "\(throttle.brokerName)", "throttle": "\(throttle.duration)"]
            )
        }
    }

    func statistics(json: String) {
        guard let onStatistics else { return }
        onStatistics(scrubber.scrub(json))
    }

    func log(level: Int32, facility: String, message: String, clientName: String) {
        logger.log(
            level: Logger.Level(syslogLevel: level),
            "\(scrubber.scrub(message))",
            metadata: ["rdkafka.facility": "\(facility)", "rdkafka.client": "\(scrubber.scrub(clientName))"]
        )
    }
}

/// A receiver whose client-level events go to its ``ClientEventHandlers``.
protocol ClientEventForwarding: NativeEventReceiver {
    var clientEvents: ClientEventHandlers { get }
}

extension ClientEventForwarding {
    func didReceive(error: KafkaError) { clientEvents.report(error) }
    func didReceive(throttle: ThrottleEvent) { clientEvents.report(throttle) }
    func didReceive(statisticsJSON: String) { clientEvents.statistics(json: statisticsJSON) }
    func didReceive(logLevel: Int32, facility: String, message: String, clientName: String) {
        clientEvents.log(level: logLevel, facility: facility, message: message, clientName: clientName)
    }
}
