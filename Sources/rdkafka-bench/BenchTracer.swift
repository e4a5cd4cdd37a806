import Synchronization
import Tracing

/// The tracer of `--tracing`: spans that keep their attributes and count their ends, and a
/// W3C-sized `traceparent` per record, so a run shows what the library's tracing costs a
/// send without any exporter's cost. Without `--tracing` no tracer exists, as in a process
/// that bootstrapped none: the producers then take their untraced path.
struct BenchTracer: Tracer {
    private static let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    let ended = Ended()

    func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> BenchSpan {
        BenchSpan(operationName: operationName, context: context(), ended: ended)
    }

    func forceFlush() {}

    func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        injector.inject(Self.traceparent, forKey: "traceparent", into: &carrier)
    }

    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {}

    /// How many spans ended: a stand-in for the bookkeeping an exporter does per span.
    final class Ended: Sendable {
        private let count = Atomic<Int>(0)
        func add() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }
}

final class BenchSpan: Span {
    let context: ServiceContext
    private let state: Mutex<(name: String, attributes: SpanAttributes)>
    private let ended: BenchTracer.Ended

    init(operationName: String, context: ServiceContext, ended: BenchTracer.Ended) {
        self.context = context
        self.state = Mutex((operationName, SpanAttributes()))
        self.ended = ended
    }

    var operationName: String {
        get { state.withLock { $0.name } }
        set { state.withLock { $0.name = newValue } }
    }

    var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { $0.attributes = newValue } }
    }

    var isRecording: Bool { true }
    func setStatus(_ status: SpanStatus) {}
    func addEvent(_ event: SpanEvent) {}
    func addLink(_ link: SpanLink) {}
    func recordError<Instant: TracerInstant>(_ error: Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {}
    func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) { ended.add() }
}
