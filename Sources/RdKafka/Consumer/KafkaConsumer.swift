import Foundation

/// Reads records from Kafka, alone or as a member of a consumer group.
///
/// ```swift
/// var configuration = ConsumerConfiguration(bootstrapServers: ["localhost:9092"], groupID: "billing")
/// configuration.autoOffsetReset = .earliest
/// let consumer = try KafkaConsumer(configuration: configuration, keyDeserializer: .string, valueDeserializer: .json(Order.self))
/// try consumer.subscribe(topics: ["orders"])
/// for try await record in consumer.records {
///     try await handle(record.value)
/// }
/// ```
///
/// Three ways to read, all of which also run the ``RebalanceListener``:
/// - ``records``: an `AsyncSequence` that suspends (never blocks a thread) while there is
///   nothing to read; for async code.
/// - ``poll(timeout:)``: one record, blocking the calling thread up to `timeout`.
/// - ``poll(maxRecords:timeout:)``: a batch, blocking likewise.
///
/// ## Threading
/// One task reads at a time: a second concurrent reader gets a `state` error rather than
/// records interleaved unpredictably. Every other call — commit, seek, pause, position,
/// ``wakeup()``, ``close(timeout:)`` — is safe from any task, including from a rebalance
/// listener. ``close(timeout:)`` waits for calls already running and then leaves the group;
/// afterwards every call throws `clientClosed`, and ``records`` ends. Releasing the last
/// reference without closing also leaves the group, without calling the listener and
/// blocking the releasing thread meanwhile, so prefer ``close(timeout:)``.
public final class KafkaConsumer<Key, Value>: Sendable {
    let native: NativeConsumer
    let gate = ClientGate()
    let lifecycle = ConsumerLifecycle()
    let readiness: WakeSignal
    /// Reading, split into its non-generic part and the generic part that builds records.
    @usableFromInline let reader: ConsumerReader
    @usableFromInline let poller: ConsumerPoller<Key, Value>
    let events: ConsumerEventReceiver
    let rebalance: ConsumerRebalanceHandler
    /// What the application paused: shared by ``rebalance`` and ``reader``.
    let pausedPartitions: PausedPartitions
    let statistics: ClientStatistics?
    /// `nil` unless there is a tracer to use, decided here once (see ``TracingConfiguration``).
    @usableFromInline let tracing: ConsumerTracing?

    /// Creates a consumer; an invalid configuration throws here, naming the property.
    ///
    /// - Parameter interceptors: see ``ConsumerInterceptor``; they run in this order.
    public convenience init(
        configuration: ConsumerConfiguration,
        keyDeserializer: some Deserializer<Key>,
        valueDeserializer: some Deserializer<Value>,
        interceptors: [any ConsumerInterceptor<ConsumerRecord<Key, Value>>] = []
    ) throws(KafkaError) {
        try self.init(
            configuration: configuration,
            keyDeserializer: keyDeserializer,
            valueDeserializer: valueDeserializer,
            onStatistics: nil,
            statistics: ClientStatistics(configuration: configuration.client),
            interceptors: interceptors
        )
    }

    /// - Parameter onStatistics: receives librdkafka's statistics JSON (on its background thread).
    init(
        configuration: ConsumerConfiguration,
        keyDeserializer: some Deserializer<Key>,
        valueDeserializer: some Deserializer<Value>,
        onStatistics: (@Sendable (String) -> Void)?,
        statistics: ClientStatistics? = nil,
        interceptors: [any ConsumerInterceptor<ConsumerRecord<Key, Value>>] = []
    ) throws(KafkaError) {
        let nativeConfiguration = NativeConfiguration()
        let security = ClientSecurity(configuration: configuration.client, native: nativeConfiguration)
        let properties = try security.scrubbing { () throws(KafkaError) in try configuration.librdkafkaProperties() }
        try security.scrubbing { () throws(KafkaError) in try nativeConfiguration.set(properties) }
        try nativeConfiguration.set("log.queue", "true")
        let hasGroupID = !(properties["group.id"] ?? "").isEmpty
        let storage = OffsetStorage(explicitSetting: properties["enable.auto.offset.store"], hasGroup: hasGroupID)
        // librdkafka would store every record it hands over, the ones read ahead included.
        if storage == .library { try nativeConfiguration.set("enable.auto.offset.store", "false") }
        let events = ConsumerEventReceiver(configuration: configuration, onStatistics: onStatistics ?? statistics?.jsonHandler)
        let pausedPartitions = PausedPartitions()
        let rebalance = ConsumerRebalanceHandler(events: events, paused: pausedPartitions)
        let context = NativeCallbackContext(
            receiver: events,
            partitioner: nil,
            rebalanceHandler: rebalance,
            tokenRefreshHandler: security.tokenRefresher
        )
        let readiness = WakeSignal()
        self.native = try security.scrubbing { () throws(KafkaError) in
            try NativeConsumer(configuration: nativeConfiguration, context: context, readiness: readiness)
        }
        try security.start(native.client)
        self.readiness = readiness
        self.statistics = statistics
        self.events = events
        self.rebalance = rebalance
        self.pausedPartitions = pausedPartitions
        self.tracing = ConsumerTracing(
            configuration.client.tracing, groupID: configuration.groupID ?? configuration.client.properties["group.id"])
        self.reader = ConsumerReader(
            native: native,
            gate: gate,
            lifecycle: lifecycle,
            readiness: readiness,
            onPartitionEOF: configuration.onPartitionEOF,
            readsHeaders: configuration.readsHeaders,
            storage: native.standalone == nil ? storage : .application,
            paused: pausedPartitions,
            report: { [events] error in events.didReceive(error: error) }
        )
        self.poller = ConsumerPoller(
            keyDeserializer: keyDeserializer,
            valueDeserializer: valueDeserializer,
            interceptors: ConsumerInterceptorChain(interceptors, logger: configuration.logger),
            // Held-back offsets matter only for commits, which a consumer without a group has not.
            heldBackOffsets: storage == .application || native.standalone != nil
                ? nil : HeldBackOffsets(native: native, logger: events.logger, storedOnRead: storage == .librdkafka)
        )
        rebalance.attach(self)
    }

    deinit {
        // Once close has started, its thread destroys the handle (it may still be leaving
        // the group after a close that timed out). Otherwise nobody can be inside a call any
        // more, and librdkafka leaves the group itself.
        if !lifecycle.hasStartedClose {
            reader.releaseForClose()
            native.destroy()
            rebalance.closeCommits()
        }
    }

    /// The client's name as librdkafka reports it, e.g. in logs and statistics.
    public var name: String { native.client.name }

    /// This member's id in its group, once it has joined.
    public var memberID: String? {
        try? withClient { native in native.memberID }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The group's current generation and this member's id, for
    /// `sendOffsetsToTransaction` on a transactional producer.
    public func groupMetadata() throws(KafkaError) -> ConsumerGroupMetadata {
        try requireGroup("groupMetadata()")
        return try withClient { native throws(KafkaError) in
            guard let metadata = native.groupMetadata() else {
                throw KafkaError(code: .state, message: "no group metadata: the consumer has no group.id")
            }
            return ConsumerGroupMetadata(native: metadata)
        }
    }

    /// Whether the consumer has a group (``ConsumerConfiguration/groupID`` set and not empty).
    /// Without one it reads only what `assign(_:)` gives it, and
    /// commits are refused.
    public var hasGroup: Bool { native.standalone == nil }

    /// Throws `unknownGroup`, saying why, when the consumer has no group.
    func requireGroup(_ operation: String) throws(KafkaError) {
        guard native.standalone != nil else { return }
        throw KafkaError(
            code: .unknownGroup,
            message: "\(operation) needs a consumer group, and this consumer has no groupID: set ConsumerConfiguration.groupID, or keep offsets yourself and assign the partitions at them",
            isRetriable: false
        )
    }

    /// Makes the running (or, if none runs, the next) read throw `wakeup`, from any task.
    ///
    /// Use it to stop a thread blocked in ``poll(timeout:)``; an async reader can simply
    /// be cancelled.
    public func wakeup() {
        lifecycle.requestWakeup()
        guard gate.enter() else { return }
        native.yield()
        gate.leave()
        readiness.signal()
    }

    /// Leaves the group and releases the consumer, waiting up to `timeout` for that.
    ///
    /// Any read in progress returns; the ``RebalanceListener`` is told the partitions are
    /// revoked (and may still commit); with auto commit on, the stored offsets are committed;
    /// then the member leaves the group, so its partitions move to the remaining members at
    /// once rather than after the session timeout. Safe from any task and idempotent: later
    /// callers wait for the first close to return.
    ///
    /// Leaving normally takes a broker round trip or two, at most about the session timeout,
    /// plus whatever the listener does. A close still not done after `timeout` — a listener
    /// that never returns, an unreachable coordinator — does not hold the caller: `close`
    /// reports a `timedOut` error (to ``ClientConfiguration/onError``, or else the log) and
    /// returns, and the consumer finishes leaving on its own thread, releasing librdkafka's
    /// handle once done. Either way the consumer is closed when `close` returns.
    public func close(timeout: Duration = .seconds(30)) async {
        switch lifecycle.startClose() {
        case .alreadyClosed:
            return
        case .wait:
            await withUnsafeContinuation { continuation in
                if !lifecycle.waitForClose(continuation) { continuation.resume() }
            }
            return
        case .run:
            break
        }
        _ = gate.close()
        native.yield()
        readiness.signal()
        // The blocking part runs on its own thread, off the cooperative pool; the deadline
        // bounds only how long this task waits for it.
        let outcome = ConsumerCloseOutcome()
        let closeInterceptors = poller.interceptors.map { chain in { @Sendable in chain.close() } }
        ClosingConsumer(native: native, reader: reader, gate: gate, lifecycle: lifecycle, events: events, rebalance: rebalance, statistics: statistics, closeInterceptors: closeInterceptors)
            .start(reportingTo: outcome)
        let deadline = Task {
            // Capped at about 68 years: Task.sleep traps beyond its nanosecond range.
            try? await Task.sleep(for: min(timeout, .seconds(Int64(Int32.max))))
            outcome.finish(closed: false)
        }
        let closed = await outcome.wait()
        deadline.cancel()
        if !closed {
            events.didReceive(error: KafkaError(
                code: .timedOut,
                message: "the consumer did not finish closing within \(timeout); it goes on leaving the group in the background"
            ))
        }
        lifecycle.finishClose()
    }

    /// Whether ``close(timeout:)`` has been called.
    public var isClosed: Bool { gate.isClosed }

    /// Runs `body` inside the gate; inside `close` (a rebalance listener) too.
    func withClient<R>(_ body: (NativeConsumer) throws(KafkaError) -> R) throws(KafkaError) -> R {
        if gate.enter() {
            defer { gate.leave() }
            return try body(native)
        }
        if lifecycle.isOnCloseThread { return try body(native) }
        throw .clientClosed("consumer")
    }
}

extension KafkaConsumer where Key == [UInt8], Value == [UInt8] {
    /// A consumer of raw byte keys and values.
    public convenience init(configuration: ConsumerConfiguration) throws(KafkaError) {
        try self.init(configuration: configuration, keyDeserializer: .bytes, valueDeserializer: .bytes)
    }
}
