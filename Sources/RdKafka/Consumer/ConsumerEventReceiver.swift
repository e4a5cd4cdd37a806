import Logging

/// Receives a consumer's client events on librdkafka's background thread: log lines,
/// client errors, statistics, and the answers to asynchronous commits.
///
/// It holds no reference to the consumer, so the consumer can be released while a commit
/// is in flight.
final class ConsumerEventReceiver: ClientEventForwarding, NativeCommitReceiver {
    let clientEvents: ClientEventHandlers
    var logger: Logger { clientEvents.logger }

    init(configuration: ConsumerConfiguration, onStatistics: (@Sendable (String) -> Void)?) {
        self.clientEvents = ClientEventHandlers(configuration: configuration.client, clientKind: "consumer", onStatistics: onStatistics)
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
