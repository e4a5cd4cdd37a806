import RdKafka
import ServiceLifecycle

/// Runs a ``KafkaProducer`` as a swift-service-lifecycle `Service`: the producer stays open
/// until the service group shuts down, then delivers what is queued and closes.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string)
/// let group = ServiceGroup(
///     services: [KafkaProducerService(producer), httpServer],
///     gracefulShutdownSignals: [.sigterm],
///     logger: logger
/// )
/// try await group.run()
/// ```
///
/// Other services keep sending while the group runs. On graceful shutdown (for example
/// SIGTERM) ``run()`` waits up to `closeTimeout` for the records in flight to be
/// acknowledged and then closes the producer, so a deploy does not drop accepted records.
/// If the group cancels the service instead, the producer is closed the same way.
public struct KafkaProducerService<Key, Value>: Service {
    /// The producer this service closes; share it with whoever sends.
    public let producer: KafkaProducer<Key, Value>
    /// How long shutdown waits for outstanding records before failing them.
    public let closeTimeout: Duration

    public init(_ producer: KafkaProducer<Key, Value>, closeTimeout: Duration = .seconds(30)) {
        self.producer = producer
        self.closeTimeout = closeTimeout
    }

    /// Waits for graceful shutdown (or cancellation), then flushes and closes the producer.
    public func run() async throws {
        // Throws only when the task is cancelled; either way it is time to close.
        try? await gracefulShutdown()
        await producer.close(timeout: closeTimeout)
    }
}
