import Foundation
import InMemoryTracing
import RdKafka
import Synchronization
import Tracing

/// swift-distributed-tracing's in-memory tracer, propagating as OpenTelemetry does: W3C
/// `traceparent` (`00-<32 hex trace id>-<16 hex span id>-01`) and `tracestate` fields, so
/// tests can compare the headers a producer writes byte for byte. Handed to clients through
/// `TracingConfiguration.tracer`, never bootstrapped: tests run in parallel in one process.
struct W3CTestTracer: Tracer {
    static let traceparent = "traceparent"
    static let tracestate = "tracestate"
    static let state = "rdkafka-test=1"

    let recorded: InMemoryTracer

    init() {
        let next = Counter()
        recorded = InMemoryTracer(idGenerator: .init(
            nextTraceID: { String(format: "%032llx", 0xA000_0000 + next.take()) },
            nextSpanID: { String(format: "%016llx", 0xB000_0000 + next.take()) }
        ))
    }

    var finishedSpans: [FinishedInMemorySpan] { recorded.finishedSpans }

    func finishedSpans(named name: String) -> [FinishedInMemorySpan] {
        finishedSpans.filter { $0.operationName == name }
    }

    /// The `traceparent` value this tracer writes for `span`.
    static func traceparent(of span: FinishedInMemorySpan) -> String {
        "00-\(span.traceID)-\(span.spanID)-01"
    }

    func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> InMemorySpan {
        recorded.startSpan(operationName, context: context(), ofKind: kind, at: instant(), function: function, file: fileID, line: line)
    }

    func forceFlush() {}

    func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let span = context.inMemorySpanContext else { return }
        injector.inject("00-\(span.traceID)-\(span.spanID)-01", forKey: Self.traceparent, into: &carrier)
        injector.inject(Self.state, forKey: Self.tracestate, into: &carrier)
    }

    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let value = extractor.extract(key: Self.traceparent, from: carrier) else { return }
        let fields = value.split(separator: "-")
        guard fields.count == 4, fields[0] == "00", fields[1].count == 32, fields[2].count == 16 else { return }
        context.inMemorySpanContext = InMemorySpanContext(traceID: String(fields[1]), spanID: String(fields[2]), parentSpanID: nil)
    }

    private final class Counter: Sendable {
        private let value = Mutex<UInt64>(0)
        func take() -> UInt64 { value.withLock { $0 += 1; return $0 } }
    }
}

extension FinishedInMemorySpan {
    func string(_ name: String) -> String? {
        if case .string(let value) = attributes.get(name) { return value }
        return nil
    }

    func integer(_ name: String) -> Int64? {
        switch attributes.get(name) {
        case .int64(let value): return value
        case .int32(let value): return Int64(value)
        default: return nil
        }
    }
}
