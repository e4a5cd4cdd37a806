import Logging

/// Receives a producer's events from its ``ReportServer`` and routes them: delivery reports
/// to whoever awaits them, client-level events (through ``ClientEventForwarding``) to the
/// configured handlers.
///
/// It holds no reference to the producer, so the producer can be released while records are
/// in flight and deinitialize normally.
final class ProducerEventReceiver: ClientEventForwarding {
    let queueSpace = WakeSignal()
    let clientEvents: ClientEventHandlers
    private let onDeliveryFailure: (@Sendable (KafkaError) -> Void)?
    private let onAcknowledgement: (@Sendable (Result<RecordMetadata, KafkaError>) -> Void)?
    /// Whether every delivery report runs user code (an interceptor's acknowledgement), even
    /// a success nobody waits for.
    let reportsEveryDelivery: Bool

    init(
        configuration: ProducerConfiguration,
        onStatistics: (@Sendable (String) -> Void)?,
        onAcknowledgement: (@Sendable (Result<RecordMetadata, KafkaError>) -> Void)? = nil
    ) {
        self.onAcknowledgement = onAcknowledgement
        self.reportsEveryDelivery = onAcknowledgement != nil
        self.clientEvents = ClientEventHandlers(configuration: configuration.client, clientKind: "producer", onStatistics: onStatistics)
        self.onDeliveryFailure = configuration.onDeliveryFailure
    }

    func didDeliver(_ report: NativeDeliveryReport) {
        // Interceptors see every outcome first, as in Kafka's Java client; the result built
        // for them then serves whoever awaits the record too.
        let acknowledged = onAcknowledgement.map { acknowledge in
            let result = report.result
            acknowledge(result)
            return result
        }
        if let opaque = report.opaque {
            if let acknowledged {
                DeliveryContext.complete(opaque, with: acknowledged)
            } else {
                DeliveryContext.complete(opaque, with: report)
            }
        } else if !report.succeeded {
            // A record sent with sendAndForget: nobody awaits it, but its failure must not vanish.
            reportUnreportedFailure(report.error)
        }
    }

    /// Hands the failure of a record sent with `sendAndForget` to the configured handler,
    /// or to the log.
    func reportUnreportedFailure(_ error: KafkaError) {
        if let onDeliveryFailure {
            onDeliveryFailure(error)
        } else {
            clientEvents.logger.error("record delivery failed", metadata: ["error": "\(error)"])
        }
    }

    /// Handles one delivery report if that runs no user code, on a sending thread serving
    /// reports; returns false, without handling it, otherwise. The one place that decides
    /// whether a report may run user code.
    @inline(__always)
    func completeWithoutUserCode(_ report: NativeDeliveryReport) -> Bool {
        // Interceptors must see every outcome first, and failures of unreported records go to
        // a handler or the log: both are user code. A success nobody waits for needs nothing.
        if reportsEveryDelivery { return false }
        guard let opaque = report.opaque else { return report.succeeded }
        // A waiting task or PendingDelivery is resumed here; a callback is user code.
        return DeliveryContext.completeWithoutUserCode(opaque, with: report)
    }

    /// A batch of delivery reports has been handled, or handed-back ones freed: senders
    /// waiting for room in the queue try again.
    func didFinishDeliveryBatch() {
        queueSpace.signal()
    }
}
