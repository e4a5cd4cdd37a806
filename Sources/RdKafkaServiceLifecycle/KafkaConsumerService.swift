import Logging
import RdKafka
import ServiceLifecycle

/// Runs a ``KafkaConsumer`` as a swift-service-lifecycle `Service`: it reads records and
/// hands each to `process`, and on graceful shutdown stops reading, commits what was
/// processed, and closes the consumer, which leaves the group so its partitions move to
/// the other members at once instead of after the session timeout.
///
/// ```swift
/// let consumer = try KafkaConsumer(configuration: configuration, keyDeserializer: .string, valueDeserializer: .json(Order.self))
/// try consumer.subscribe(topics: ["orders"])
/// let service = KafkaConsumerService(consumer) { record in
///     try await handle(record.value)
/// }
/// try await ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
///
/// Records are processed one at a time in order. The commit on shutdown covers exactly the
/// records `process` finished (the next offset after each), so a record read but not
/// processed is read again by whoever gets its partition: at-least-once delivery. If
/// `process` throws, the service commits what was processed before, closes the consumer and
/// rethrows, which shuts the service group down. A consumer without a group
/// (``KafkaConsumer/hasGroup`` false) has nothing to commit to; it is only closed.
public struct KafkaConsumerService<Key: Sendable, Value: Sendable>: Service {
    /// The consumer this service reads from and closes.
    public let consumer: KafkaConsumer<Key, Value>
    private let process: @Sendable (ConsumerRecord<Key, Value>) async throws -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - logger: where a failed shutdown commit is reported.
    ///   - process: called for each record, in order; see the type's discussion for errors.
    public init(
        _ consumer: KafkaConsumer<Key, Value>,
        logger: Logger = Logger(label: "rdkafka.consumer-service"),
        process: @escaping @Sendable (ConsumerRecord<Key, Value>) async throws -> Void
    ) {
        self.consumer = consumer
        self.logger = logger
        self.process = process
    }

    public func run() async throws {
        var processed: [TopicPartition: Int64] = [:]
        do {
            for try await record in consumer.records.cancelOnGracefulShutdown() {
                try await process(record)
                processed[TopicPartition(topic: record.topic, partition: record.partition)] = record.offset + 1
            }
        } catch {
            await finish(committing: processed)
            throw error
        }
        await finish(committing: processed)
    }

    /// Commits the processed positions and closes the consumer.
    private func finish(committing processed: [TopicPartition: Int64]) async {
        if !processed.isEmpty, consumer.hasGroup {
            let offsets = processed.map { TopicPartitionOffset($0.key, offset: $0.value) }
            do {
                try await consumer.commit(offsets)
            } catch {
                logger.error(
                    "committing the processed records on shutdown failed; they will be read again",
                    metadata: ["error": "\(error)", "consumer": "\(consumer.name)"]
                )
            }
        }
        await consumer.close()
    }
}
