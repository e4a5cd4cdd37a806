/// Sends records to Kafka.
///
/// ```swift
/// let producer = try KafkaProducer(
///     configuration: .init(bootstrapServers: ["localhost:9092"], acks: .all),
///     keySerializer: .string,
///     valueSerializer: .json(Order.self)
/// )
/// let metadata = try await producer.send(ProducerRecord(topic: "orders", key: order.id, value: order))
/// await producer.close()
/// ```
///
/// Four ways to send, from cheapest to most convenient:
/// - ``sendAndForget(_:)``: enqueue and move on; failures go to
///   ``ProducerConfiguration/onDeliveryFailure`` (or the log).
/// - ``send(_:onDelivery:)``: a callback receives each record's `Result`.
/// - ``enqueue(_:)``: returns a ``PendingDelivery`` to await later, for pipelining.
/// - ``send(_:)``: `await` the ``RecordMetadata``.
///
/// A producer is safe to share between tasks. There is no poll loop to run: delivery reports
/// are served as soon as librdkafka has them. A send serves the reports that are ready right
/// after it enqueued its record, as a C program calls `rd_kafka_poll(rk, 0)` after each
/// produce, so a record's memory is freed on the thread that allocated it. When no send is
/// running, the producer's own report thread serves them. Your code never runs inside a
/// send: delivery callbacks, ``ProducerConfiguration/onDeliveryFailure``, interceptors'
/// ``ProducerInterceptor/onAcknowledgement(_:)`` and the error, statistics and log handlers
/// always run on the report thread, one at a time, in the order librdkafka reported.
/// Awaiting tasks and ``PendingDelivery`` values may be resumed by either.
///
/// ``close(timeout:)`` delivers what is queued and then releases the client; releasing the
/// last reference without closing fails the records still queued (each is reported) and
/// releases the client too.
public final class KafkaProducer<Key, Value>: Sendable {
    let client: NativeClient
    let gate = ClientGate()
    /// Spares sends to the usual topic the check of its name.
    let knownTopic = KnownTopicName()
    let events: ProducerEventReceiver
    let pendingDeliveries = Slab<PendingDeliveryChunk>()
    let deliveryContexts = Slab<DeliveryContextChunk>()
    /// Serves delivery reports on the sending thread when it can, else on its own thread.
    let reports: ReportServer?
    @usableFromInline let serializeKey: RecordSerializing<Key>
    @usableFromInline let serializeValue: RecordSerializing<Value>
    /// Set only when a serializer writes headers; then every send goes through it.
    @usableFromInline let headerWriting: HeaderWritingSerializers<Key, Value>?
    let maxBlock: Duration
    let queueFullBehavior: ProducerConfiguration.QueueFullBehavior
    let statistics: ClientStatistics?
    @usableFromInline let interceptors: ProducerInterceptorChain<Key, Value>?
    /// `nil` unless there is a tracer to use, decided here once (see ``TracingConfiguration``).
    @usableFromInline let tracing: ProducerTracing?
    /// The transaction state; `nil` unless the producer has a transactional id.
    let transactions: TransactionManager?
    /// Places records in Swift; `nil` unless the partitioner is a ``RecordPartitioner``.
    let placement: PartitionerPlacement?
    private let lifecycle = Locked(CloseStateMachine())

    /// Creates a producer; an invalid configuration throws here, naming the property.
    ///
    /// - Parameter interceptors: see ``ProducerInterceptor``; they run in this order.
    @inlinable
    public convenience init(
        configuration: ProducerConfiguration,
        keySerializer: some Serializer<Key>,
        valueSerializer: some Serializer<Value>,
        interceptors: [any ProducerInterceptor<Key, Value>] = []
    ) throws(KafkaError) {
        // Inlinable so that the serializers are bound to their concrete types in the caller's
        // build (see RecordSerializing).
        try self.init(
            configuration: configuration,
            serializeKey: RecordSerializingFactory.make(keySerializer),
            serializeValue: RecordSerializingFactory.make(valueSerializer),
            headerWriting: RecordSerializingFactory.makeHeaderWriting(keySerializer, valueSerializer),
            interceptors: interceptors
        )
    }

    @usableFromInline
    init(
        configuration: ProducerConfiguration,
        serializeKey: @escaping RecordSerializing<Key>,
        serializeValue: @escaping RecordSerializing<Value>,
        headerWriting: HeaderWritingSerializers<Key, Value>? = nil,
        interceptors: [any ProducerInterceptor<Key, Value>]
    ) throws(KafkaError) {
        let native = NativeConfiguration()
        let security = ClientSecurity(configuration: configuration.client, native: native)
        try security.scrubbing { () throws(KafkaError) in try native.set(configuration.librdkafkaProperties()) }
        try native.set("log.queue", "true")
        let statistics = ClientStatistics(configuration: configuration.client)
        let interceptors = ProducerInterceptorChain(interceptors, logger: configuration.logger)
        let events = ProducerEventReceiver(
            configuration: configuration,
            onStatistics: statistics?.jsonHandler,
            onAcknowledgement: interceptors?.acknowledgementHandler
        )
        let context = NativeCallbackContext(
            receiver: events,
            partitioner: configuration.partitioner.customFunction,
            tokenRefreshHandler: security.tokenRefresher
        )
        NativeEventBridge.installCallbacks(on: native, deliveryReports: true)
        if configuration.partitioner.customFunction != nil {
            NativePartitioner.install(on: native, context: context)
        }
        self.client = try security.scrubbing { () throws(KafkaError) in
            try NativeClient(kind: .producer, configuration: native, callbackContext: context)
        }
        try security.start(client)
        self.reports = ReportServer(client: client, context: context, receiver: events, gate: gate)
        self.events = events
        self.statistics = statistics
        self.interceptors = interceptors
        self.tracing = ProducerTracing(configuration.client.tracing)
        self.serializeKey = serializeKey
        self.serializeValue = serializeValue
        self.headerWriting = headerWriting
        self.maxBlock = configuration.maxBlock
        self.queueFullBehavior = configuration.queueFullBehavior
        self.transactions = configuration.transactionalID == nil ? nil : TransactionManager()
        self.placement = configuration.partitioner.recordPartitioner.map { PartitionerPlacement($0, topics: PartitionerTopicCache()) }
    }

    /// The client's name as librdkafka reports it, e.g. in logs and statistics.
    public var name: String { client.name }

    /// Records not yet acknowledged or failed: queued, in flight, or awaiting their report.
    public var outstandingRecordCount: Int {
        guard gate.enter() else { return 0 }
        defer { gate.leave() }
        return NativeMessages.outstandingCount(client.pointer)
    }

    /// Delivers what is queued (for up to `timeout`), fails what could not be delivered in
    /// that time, and releases the client. Every record sent before is reported.
    ///
    /// A transaction still open is aborted first, within the same `timeout`: its records are
    /// never committed.
    ///
    /// After close every call throws `clientClosed`. Closing again, or from several tasks at
    /// once, is safe: later callers wait for the first close to finish.
    public func close(timeout: Duration = .seconds(30)) async {
        switch lifecycle.withLock({ $0.startClose() }) {
        case .alreadyClosed:
            return
        case .wait:
            await withUnsafeContinuation { continuation in
                if !lifecycle.withLock({ $0.waitForClose(continuation) }) { continuation.resume() }
            }
            return
        case .run:
            break
        }
        // One deadline for the abort and the flush, so a close with a transaction open
        // still takes about `timeout`, not twice that.
        let deadline = ContinuousClock.now + timeout
        await abortOpenTransactionForClose(timeout: timeout)
        _ = gate.close()
        // Wake senders blocked on a full queue so they see the close.
        events.queueSpace.signal()
        await gate.waitUntilDrained()
        // The gate is shut and drained, so nothing else uses the handle until destroy below.
        _ = await flushLingering(until: deadline, throughGate: false)
        if NativeMessages.outstandingCount(client.pointer) > 0 {
            NativeMessages.purgeAll(client.pointer)
            await waitForOutstanding(until: ContinuousClock.now + .seconds(10))
        }
        client.destroy()
        statistics?.clientDidClose()
        interceptors?.close()
        for waiter in lifecycle.withLock({ $0.finishClose() }) { waiter.resume() }
    }

    /// Whether ``close(timeout:)`` has been called.
    public var isClosed: Bool { gate.isClosed }

    /// Waits for the outstanding count to reach zero; only for close, after the gate shut.
    private func waitForOutstanding(until deadline: ContinuousClock.Instant) async {
        while NativeMessages.outstandingCount(client.pointer) > 0 {
            let generation = events.queueSpace.generation
            if NativeMessages.outstandingCount(client.pointer) == 0 { return }
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return }
            await events.queueSpace.wait(after: generation, limit: min(remaining, .milliseconds(50)))
        }
    }

    /// The number of partitions of `topic`, from the metadata cache or a metadata request.
    public func partitionCount(of topic: String, timeout: Duration = .seconds(10)) throws(KafkaError) -> Int {
        guard gate.enter() else { throw .clientClosed("producer") }
        defer { gate.leave() }
        return try NativeMessages.partitionCount(client: client.pointer, topic: topic, timeout: timeout).get()
    }
}

extension KafkaProducer where Key == [UInt8], Value == [UInt8] {
    /// A producer of raw byte keys and values.
    public convenience init(configuration: ProducerConfiguration) throws(KafkaError) {
        try self.init(configuration: configuration, keySerializer: .bytes, valueSerializer: .bytes)
    }
}
