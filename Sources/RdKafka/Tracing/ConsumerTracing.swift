import Tracing

/// A consumer's tracing, present only when there is a tracer to use: process spans around
/// the handling of a record, and a span per non-empty batch poll, both tied to the contexts
/// the records carry in their headers.
@usableFromInline
final class ConsumerTracing: Sendable {
    let tracer: any Tracer
    let groupID: String?
    let relation: TracingConfiguration.ProcessSpanRelation

    init?(_ configuration: TracingConfiguration, groupID: String?) {
        guard let tracer = configuration.resolvedTracer() else { return nil }
        self.tracer = tracer
        self.groupID = groupID
        self.relation = configuration.processSpanRelation
    }

    /// Starts the process span of `record`: a child of the context its headers carry, or of
    /// the task's context with a link to it (see ``TracingConfiguration/ProcessSpanRelation``).
    @usableFromInline
    func startProcess<Key, Value>(_ record: ConsumerRecord<Key, Value>) -> any Span {
        let current = ServiceContext.current ?? .topLevel
        let sent = tracer.extractContext(from: record.headers, base: current)
        let parent = relation == .child ? (sent ?? current) : current
        let span = tracer.startSpan("process \(record.topic)", context: parent, ofKind: .consumer)
        if relation == .link, let sent {
            span.addLink(SpanLink(context: sent, attributes: [:]))
        }
        let key = record.key.flatMap { $0 as? String }
        span.updateAttributes { attributes in
            MessagingAttributes.set(
                on: &attributes, operation: "process", type: "process",
                topic: record.topic, partition: record.partition, key: key)
            attributes[MessagingAttributes.offset] = record.offset
            if let groupID { attributes[MessagingAttributes.consumerGroup] = groupID }
        }
        return span
    }

    /// Records a span for a poll that returned `records` (not empty), started at `start`,
    /// with a link to the context each record carries.
    @usableFromInline
    func recordPoll<Key, Value>(_ records: [ConsumerRecord<Key, Value>], startedAt start: DefaultTracerClock.Instant) {
        guard let first = records.first else { return }
        let oneTopic = records.allSatisfy { $0.topic == first.topic } ? first.topic : nil
        let name = oneTopic.map { "poll \($0)" } ?? "poll"
        let span = tracer.startSpan(name, context: ServiceContext.current ?? .topLevel, ofKind: .client, at: start)
        span.updateAttributes { attributes in
            MessagingAttributes.set(on: &attributes, operation: "poll", type: "receive", topic: oneTopic)
            attributes[MessagingAttributes.batchMessageCount] = records.count
            if let groupID { attributes[MessagingAttributes.consumerGroup] = groupID }
        }
        for record in records {
            guard let sent = tracer.extractContext(from: record.headers) else { continue }
            var attributes = SpanAttributes()
            attributes[MessagingAttributes.destinationName] = record.topic
            attributes[MessagingAttributes.partitionID] = String(record.partition)
            attributes[MessagingAttributes.offset] = record.offset
            span.addLink(SpanLink(context: sent, attributes: attributes))
        }
        span.end()
    }
}
