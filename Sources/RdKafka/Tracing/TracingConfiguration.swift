import Tracing

/// Whether and how a client traces records with swift-distributed-tracing.
///
/// On by default, and free while no tracer is bootstrapped: a client decides once, when it is
/// created, whether there is a tracer to use; without one (or with tracing switched off here)
/// a send neither creates a span nor touches the record's headers.
///
/// ```swift
/// var configuration = ProducerConfiguration(bootstrapServers: ["localhost:9092"])
/// configuration.tracing = .disabled
/// ```
///
/// See docs/observability.md for what is traced and how to export it with swift-otel.
public struct TracingConfiguration: Sendable {
    /// Whether the client traces at all.
    public var isEnabled: Bool
    /// The tracer to use; `nil` takes `InstrumentationSystem.tracer` when the client is
    /// created (bootstrap the tracer before creating clients). Setting one here keeps a
    /// client, or a test, independent of the process-wide bootstrap.
    public var tracer: (any Tracer)?
    /// Whether a trace context header the record already carries (say `traceparent`, set by
    /// your own code) is replaced by the send span's context. By default it is kept, and the
    /// span's context is not written at all, so the record's headers never mix two contexts.
    public var replacesRecordTraceContext: Bool
    /// How a process span (``KafkaConsumer/withSpan(for:isolation:_:)``) relates to the
    /// context the record carries.
    public var processSpanRelation: ProcessSpanRelation

    /// Tracing as described by each parameter; the defaults trace with the bootstrapped
    /// tracer, keep a record's own trace context, and make process spans children.
    public init(
        isEnabled: Bool = true,
        tracer: (any Tracer)? = nil,
        replacesRecordTraceContext: Bool = false,
        processSpanRelation: ProcessSpanRelation = .child
    ) {
        self.isEnabled = isEnabled
        self.tracer = tracer
        self.replacesRecordTraceContext = replacesRecordTraceContext
        self.processSpanRelation = processSpanRelation
    }

    /// Traces with the bootstrapped tracer, if there is one.
    public static var enabled: TracingConfiguration { TracingConfiguration() }
    /// Never traces, even with a tracer bootstrapped.
    public static var disabled: TracingConfiguration { TracingConfiguration(isEnabled: false) }

    /// Traces with `tracer` rather than the bootstrapped one.
    public static func enabled(tracer: any Tracer) -> TracingConfiguration {
        TracingConfiguration(tracer: tracer)
    }

    /// How a process span relates to the context found in the record's headers.
    public enum ProcessSpanRelation: Sendable, Hashable {
        /// The span is a child of the sending span, so one trace runs across the services.
        case child
        /// The span continues the task's current trace and links to the sending span, for
        /// consumers that keep a trace of their own per batch or per job.
        case link
    }

    /// The tracer a client uses, decided once when it is created: `nil` when tracing is off
    /// or the only tracer is the no-op one, so that the per-record check is a nil test.
    func resolvedTracer() -> (any Tracer)? {
        guard isEnabled else { return nil }
        let tracer = self.tracer ?? InstrumentationSystem.tracer
        return tracer is NoOpTracer ? nil : tracer
    }
}
