import Tracing

/// Writes a tracer's propagation fields (W3C `traceparent` and `tracestate` with swift-otel)
/// as record headers, UTF-8 encoded.
struct RecordHeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [RecordHeader]) {
        carrier.append(RecordHeader(key: key, value: value))
    }
}

/// Reads a tracer's propagation fields from record headers: the last header of that name, as
/// Kafka clients read headers, when it is valid UTF-8.
struct RecordHeaderExtractor: Extractor {
    func extract(key: String, from carrier: [RecordHeader]) -> String? {
        guard let header = carrier.last(where: { $0.key == key }), let bytes = header.value else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension Tracer {
    /// Writes `context` into `headers`. When the tracer's fields are already there, they are
    /// kept (and nothing is written) unless `replacing`; replaced fields are removed first,
    /// so a record never carries two.
    func injectContext(_ context: ServiceContext, into headers: inout [RecordHeader], replacing: Bool) {
        var fields: [RecordHeader] = []
        inject(context, into: &fields, using: RecordHeaderInjector())
        guard !fields.isEmpty else { return }
        let names = Set(fields.map(\.key))
        if headers.contains(where: { names.contains($0.key) }) {
            guard replacing else { return }
            headers.removeAll { names.contains($0.key) }
        }
        headers.append(contentsOf: fields)
    }

    /// The context carried by `headers`, on top of `base`; `nil` when they carry none.
    func extractContext(from headers: [RecordHeader], base: ServiceContext = .topLevel) -> ServiceContext? {
        var found = ServiceContext.topLevel
        extract(headers, into: &found, using: RecordHeaderExtractor())
        guard !found.isEmpty else { return nil }
        var context = base
        extract(headers, into: &context, using: RecordHeaderExtractor())
        return context
    }
}
