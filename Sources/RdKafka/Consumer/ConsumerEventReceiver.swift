import Logging

/// Receives a consumer's client events on librdkafka's background thread: log lines,
/// client errors, statistics, and the answers to asynchronous commits.
///
/// It holds no reference to the consumer, so the consumer can be released while a commit
/// is in flight.
final class ConsumerEventReceiver: NativeEventReceiver {
    let logger: Logger
    private let onError: (@Sendable (KafkaError) -> Void)?
    private let onThrottle: (@Sendable (ThrottleEvent) -> Void)?
    private let onStatistics: (@Sendable (String) -> Void)?

    init(configuration: ConsumerConfiguration, onStatistics: (@Sendable (String) -> Void)?) {
        self.logger = configuration.logger
        self.onError = configuration.onError
        self.onThrottle = configuration.onThrottle
        self.onStatistics = onStatistics
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
                "broker throttled the consumer",
                metadata: ["broker": "\(throttle.brokerName)", "throttle": "\(throttle.duration)"]
            )
        }
    }

    func didReceive(statisticsJSON: String) {
        onStatistics?(statisticsJSON)
    }

    func didReceive(logLevel: Int32, facility: String, message: String) {
        logger.log(level: Logger.Level(syslogLevel: logLevel), "\(message)", metadata: ["rdkafka.facility": "\(facility)"])
    }

    func didCommit(opaque: UnsafeMutableRawPointer, result: Result<[TopicPartitionOffset], KafkaError>) {
        CommitCompletion.takeRetained(opaque).complete(result)
    }

    func log(_ level: Logger.Level, _ message: Logger.Message, _ partitions: [TopicPartition]) {
        logger.log(level: level, message, metadata: ["partitions": "\(partitions)"])
    }
}

/// Who is told the outcome of one asynchronous commit: travels through librdkafka as the
/// commit's opaque and is released exactly once, by the commit's answer.
final class CommitCompletion: Sendable {
    private let body: @Sendable (Result<[TopicPartitionOffset], KafkaError>) -> Void

    init(_ body: @escaping @Sendable (Result<[TopicPartitionOffset], KafkaError>) -> Void) {
        self.body = body
    }

    func complete(_ result: Result<[TopicPartitionOffset], KafkaError>) { body(result) }

    func retainedOpaque() -> UnsafeMutableRawPointer { Unmanaged.passRetained(self).toOpaque() }

    static func takeRetained(_ opaque: UnsafeMutableRawPointer) -> CommitCompletion {
        Unmanaged<CommitCompletion>.fromOpaque(opaque).takeRetainedValue()
    }
}
