import Tracing

/// A producer's tracing, present only when there is a tracer to use (see
/// ``TracingConfiguration``): each send gets a producer span whose context travels in the
/// record's headers, ended by the record's delivery report.
@usableFromInline
final class ProducerTracing: Sendable {
    let tracer: any Tracer
    let replacesRecordTraceContext: Bool

    init?(_ configuration: TracingConfiguration) {
        guard let tracer = configuration.resolvedTracer() else { return nil }
        self.tracer = tracer
        self.replacesRecordTraceContext = configuration.replacesRecordTraceContext
    }

    /// Starts the send span of `record`, as a child of the task's current context, and writes
    /// the span's context into the record's headers.
    @usableFromInline
    func startSend<Key, Value>(_ record: inout ProducerRecord<Key, Value>) -> any Span {
        let topic = record.topic
        let span = tracer.startSpan("send \(topic)", context: ServiceContext.current ?? .topLevel, ofKind: .producer)
        let key = record.key.flatMap { $0 as? String }
        span.updateAttributes { attributes in
            MessagingAttributes.set(
                on: &attributes, operation: "send", type: "send", topic: topic, partition: record.partition, key: key)
        }
        tracer.injectContext(span.context, into: &record.headers, replacing: replacesRecordTraceContext)
        return span
    }

    /// Ends a send span with the record's outcome: where it was stored, or why it failed.
    @usableFromInline
    func finish(_ span: any Span, _ result: Result<RecordMetadata, KafkaError>) {
        switch result {
        case .success(let metadata):
            span.updateAttributes { attributes in
                attributes[MessagingAttributes.partitionID] = String(metadata.partition)
                attributes[MessagingAttributes.offset] = metadata.offset
            }
        case .failure(let error):
            MessagingAttributes.fail(span, with: error)
        }
        span.end()
    }
}
