import Tracing

extension KafkaConsumer {
    /// Runs `body` in a process span for `record`, with the span's context as the task's
    /// current `ServiceContext`, so spans started inside (an HTTP call, a database query)
    /// join the trace the record's producer started.
    ///
    /// The span is named `process <topic>`, is a child of the context found in the record's
    /// headers (or linked to it, see ``TracingConfiguration/processSpanRelation``), and
    /// carries the record's topic, partition, offset, key (when a `String`) and the group.
    /// An error thrown by `body` is recorded on the span and rethrown. Without a tracer, or
    /// with ``ClientConfiguration/tracing`` off, `body` simply runs, given a no-op span.
    ///
    /// ```swift
    /// for try await record in consumer.records {
    ///     try await consumer.withSpan(for: record) { span in
    ///         try await handle(record.value)
    ///     }
    /// }
    /// ```
    public func withSpan<T, E: Error>(
        for record: ConsumerRecord<Key, Value>,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (any Span) async throws(E) -> T
    ) async throws(E) -> T {
        guard let tracing else {
            return try await body(NoOpTracer.NoOpSpan(context: ServiceContext.current ?? .topLevel))
        }
        let span = tracing.startProcess(record)
        defer { span.end() }
        let result: Result<T, E> = await ServiceContext.withValue(span.context, isolation: isolation) { () async -> Result<T, E> in
            do throws(E) {
                return .success(try await body(span))
            } catch {
                return .failure(error)
            }
        }
        if case .failure(let error) = result {
            if let kafkaError = error as? KafkaError {
                MessagingAttributes.fail(span, with: kafkaError)
            } else {
                // The error's type names its class, as the conventions ask for other errors.
                span.attributes[MessagingAttributes.errorType] = String(reflecting: type(of: error as any Error))
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
            }
        }
        return try result.get()
    }
}

extension ConsumerRecordSequence {
    /// Reads the records and runs `body` for each inside its process span (see
    /// ``KafkaConsumer/withSpan(for:isolation:_:)``), until the sequence ends or `body` throws.
    ///
    /// The traced form of `for try await record in consumer.records { ... }`.
    public func forEachInSpan(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (ConsumerRecord<Key, Value>) async throws -> Void
    ) async throws {
        var iterator = makeAsyncIterator()
        while let record = try await iterator.next(isolation: isolation) {
            try await consumer.withSpan(for: record, isolation: isolation) { _ in try await body(record) }
        }
    }
}
