import Logging

/// Receives a producer's events on librdkafka's background thread and routes them: delivery
/// reports to whoever awaits them, everything else to the configured handlers.
///
/// It holds no reference to the producer, so the producer can be released while records are
/// in flight and deinitialize normally.
final class ProducerEventReceiver: NativeEventReceiver {
    let queueSpace = QueueSpaceSignal()
    private let logger: Logger
    private let onDeliveryFailure: (@Sendable (KafkaError) -> Void)?
    private let onError: (@Sendable (KafkaError) -> Void)?
    private let onThrottle: (@Sendable (ThrottleEvent) -> Void)?
    private let onStatistics: (@Sendable (String) -> Void)?
    private let onAcknowledgement: (@Sendable (Result<RecordMetadata, KafkaError>) -> Void)?

    init(
        configuration: ProducerConfiguration,
        onStatistics: (@Sendable (String) -> Void)?,
        onAcknowledgement: (@Sendable (Result<RecordMetadata, KafkaError>) -> Void)? = nil
    ) {
        self.onAcknowledgement = onAcknowledgement
        self.logger = configuration.logger
        self.onDeliveryFailure = configuration.onDeliveryFailure
        self.onError = configuration.onError
        self.onThrottle = configuration.onThrottle
        self.onStatistics = onStatistics
    }

    func didDeliver(_ report: NativeDeliveryReport) {
        // Interceptors see every outcome first, as in Kafka's Java client.
        onAcknowledgement?(report.result)
        if let opaque = report.opaque {
            DeliveryContext.complete(opaque, with: report.result)
        } else if !report.succeeded {
            // A record sent with sendAndForget: nobody awaits it, but its failure must not vanish.
            let error = report.error
            if let onDeliveryFailure {
                onDeliveryFailure(error)
            } else {
                logger.error("record delivery failed", metadata: ["error": "\(error)"])
            }
        }
    }

    func didFinishDeliveryBatch() {
        queueSpace.signal()
    }

    func didReceive(error: KafkaError) {
        if let onError {
            onError(error)
        } else {
            logger.warning("librdkafka reported an error", metadata: ["error": "\(error)"])
        }
    }

    func didReceive(throttle: ThrottleEvent) {
        if let onThrottle {
            onThrottle(throttle)
        } else {
            logger.notice(
                "broker throttled the producer",
                metadata: ["broker": "\(throttle.brokerName)", "throttle": "\(throttle.duration)"]
            )
        }
    }

    func didReceive(statisticsJSON: String) {
        onStatistics?(statisticsJSON)
    }

    func didReceive(logLevel: Int32, facility: String, message: String, clientName: String) {
        logger.log(
            level: Logger.Level(syslogLevel: logLevel),
            "\(message)",
            metadata: ["rdkafka.facility": "\(facility)", "rdkafka.client": "\(clientName)"]
        )
    }
}
