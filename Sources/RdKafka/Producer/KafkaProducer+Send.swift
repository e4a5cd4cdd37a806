// The public send methods are @inlinable so that callers' builds specialize them for their
// own Key and Value: unspecialized generic code pays a runtime metadata lookup for every
// generic type it touches (ProducerRecord<Key, Value>, Optional<Key>) and calls value
// witnesses to copy and destroy records, on every send. Their bodies are only the retry
// loops and serialization; the rest is in the non-generic @usableFromInline helpers below.
extension KafkaProducer {
    /// Sends `record` and returns where the broker stored it.
    ///
    /// When librdkafka's queue is full this suspends, without blocking a thread, until
    /// delivery reports make room, for up to ``ProducerConfiguration/maxBlock``; then it
    /// throws `queueFull`.
    ///
    /// - Throws: ``KafkaError`` if the record is invalid, cannot be serialized (nothing is
    ///   sent), was not accepted in time, or was accepted but failed (its `code` says why).
    @inlinable
    @discardableResult
    public func send(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> RecordMetadata {
        // Without tracing and interceptors the record is passed on as is: not even copied.
        if let tracing { return try await sendTraced(record, tracing) }
        if let interceptors { return try await sendAwaiting(interceptors.onSend(record)) }
        return try await sendAwaiting(record)
    }

    @inlinable
    func sendAwaiting(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> RecordMetadata {
        var deadline = QueueFullDeadline()
        while true {
            let generation = queueSpaceGeneration
            var wasRefused = false
            let result = await withUnsafeContinuation { continuation in
                let opaque = newDeliveryContext(.continuation(continuation))
                if let refusal = attempt(record, opaque: opaque) {
                    DeliveryContext.release(opaque)
                    wasRefused = true
                    continuation.resume(returning: .failure(refusal))
                }
            }
            if case .failure(let error) = result, error.code == .queueFull,
               await waitForRoom(after: generation, deadline: &deadline) {
                continue
            }
            // A delivery failure reached the interceptors with its report; a refusal has not.
            if wasRefused, case .failure(let error) = result { throw refused(explainQueueFull(error)) }
            return try result.get()
        }
    }

    /// Enqueues `record` and returns a handle whose delivery can be awaited later, so one
    /// task can keep many records in flight (see ``PendingDelivery``).
    ///
    /// Suspends while the queue is full, as ``send(_:)`` does.
    @inlinable
    @inline(__always)
    public func enqueue(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> PendingDelivery {
        if let tracing { return try await enqueueTraced(record, tracing) }
        if let interceptors { return try await enqueuePending(interceptors.onSend(record)) }
        return try await enqueuePending(record)
    }

    @inlinable
    @inline(__always)
    func enqueuePending(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> PendingDelivery {
        let (pending, opaque) = newPendingDelivery(topic: record.topic)
        let generation = queueSpaceGeneration
        guard let refusal = attempt(record, opaque: opaque) else { return pending }
        return try await enqueueRefused(record, pending, opaque, refusal: refusal, generation: generation)
    }

    /// ``enqueuePending(_:)`` after a refusal: waits for room and tries again while the
    /// queue is full. Apart, so that the usual path has no loop and no suspension point.
    @inlinable
    @inline(never)
    func enqueueRefused(
        _ record: ProducerRecord<Key, Value>,
        _ pending: PendingDelivery,
        _ opaque: UnsafeMutableRawPointer,
        refusal first: KafkaError,
        generation firstGeneration: UInt64
    ) async throws(KafkaError) -> PendingDelivery {
        var deadline = QueueFullDeadline()
        var refusal = first
        var generation = firstGeneration
        // The slot is kept for another attempt, and released only when giving up.
        while refusal.code == .queueFull, await waitForRoom(after: generation, deadline: &deadline) {
            generation = queueSpaceGeneration
            guard let again = attempt(record, opaque: opaque) else { return pending }
            refusal = again
        }
        DeliveryContext.release(opaque)
        throw refused(explainQueueFull(refusal))
    }

    /// Sends `record` and calls `onDelivery` with its outcome, on the producer's report
    /// thread (never inside a send): keep the callback short and do not block in it.
    ///
    /// If the queue is full this blocks the calling thread for up to
    /// ``ProducerConfiguration/maxBlock`` (or throws at once with `.fail`). When it throws,
    /// the record was not accepted and `onDelivery` is not called.
    @inlinable
    public func send(
        _ record: ProducerRecord<Key, Value>,
        onDelivery: @escaping @Sendable (Result<RecordMetadata, KafkaError>) -> Void
    ) throws(KafkaError) {
        if let tracing { return try sendReportingTraced(record, tracing, onDelivery: onDelivery) }
        if let interceptors { return try sendReporting(interceptors.onSend(record), onDelivery: onDelivery) }
        try sendReporting(record, onDelivery: onDelivery)
    }

    @inlinable
    func sendReporting(
        _ record: ProducerRecord<Key, Value>,
        onDelivery: @escaping @Sendable (Result<RecordMetadata, KafkaError>) -> Void
    ) throws(KafkaError) {
        var deadline = QueueFullDeadline()
        while true {
            let generation = queueSpaceGeneration
            let opaque = newDeliveryContext(.callback(onDelivery))
            guard let refusal = attempt(record, opaque: opaque) else { return }
            DeliveryContext.release(opaque)
            if refusal.code == .queueFull, waitForRoomBlocking(after: generation, deadline: &deadline) { continue }
            throw refused(explainQueueFull(refusal))
        }
    }

    /// Sends `record` without waiting for, or being told, its outcome. The cheapest way to
    /// send: no allocation per record beyond librdkafka's own copy.
    ///
    /// A delivery failure still goes to ``ProducerConfiguration/onDeliveryFailure``, or to
    /// the log when no handler is set. Blocks on a full queue as ``send(_:onDelivery:)``.
    @inlinable
    public func sendAndForget(_ record: ProducerRecord<Key, Value>) throws(KafkaError) {
        if let tracing { return try sendUnreportedTraced(record, tracing) }
        if let interceptors { return try sendUnreported(interceptors.onSend(record)) }
        try sendUnreported(record)
    }

    @inlinable
    func sendUnreported(_ record: ProducerRecord<Key, Value>) throws(KafkaError) {
        var deadline = QueueFullDeadline()
        while true {
            let generation = queueSpaceGeneration
            guard let refusal = attempt(record, opaque: nil) else { return }
            if refusal.code == .queueFull, waitForRoomBlocking(after: generation, deadline: &deadline) { continue }
            throw refused(explainQueueFull(refusal))
        }
    }

    /// A context for a record sent with a callback or awaited, from the producer's slab (see
    /// ``Slab``), as the record's opaque.
    @usableFromInline
    func newDeliveryContext(_ target: DeliveryContext.Target) -> UnsafeMutableRawPointer {
        deliveryContexts.take(target)
    }

    /// A `PendingDelivery` from the producer's slab (see ``Slab``), and the
    /// opaque that stands for it.
    @usableFromInline
    func newPendingDelivery(topic: String) -> (PendingDelivery, UnsafeMutableRawPointer) {
        pendingDeliveries.take(topic: topic)
    }

    /// Tells the interceptors that a record was refused before it was sent, and returns why.
    @usableFromInline
    func refused(_ error: KafkaError) -> KafkaError {
        interceptors?.onAcknowledgement(.failure(error))
        return error
    }

    // MARK: - The one path into librdkafka

    /// One attempt to hand `record` to librdkafka: validates, serializes, enqueues.
    ///
    /// - Returns: `nil` if librdkafka accepted it (and took `opaque`), else why not.
    @inlinable
    func attempt(_ record: ProducerRecord<Key, Value>, opaque: UnsafeMutableRawPointer?) -> KafkaError? {
        // The record's fields are passed on borrowed, never copied into a new value: each copy
        // of its topic and headers would cost an atomic retain and release per send.
        if let invalid = validate(topic: record.topic, partition: record.partition) { return invalid }
        if !record.headers.isEmpty, let invalid = validate(headers: record.headers, topic: record.topic) { return invalid }
        if let refusal = refusalBeforeSerializing(topic: record.topic, partition: record.partition) { return refusal }
        if let headerWriting { return attemptWritingHeaders(record, headerWriting, opaque: opaque) }
        guard let key = record.key else {
            return withSerializedValue(record.value, topic: record.topic) { value in
                enqueueSerialized(
                    topic: record.topic,
                    partition: record.partition,
                    key: nil,
                    value: value,
                    timestamp: record.timestamp,
                    headers: record.headers,
                    opaque: opaque
                )
            }
        }
        do {
            return try serializeKey(key, record.topic) { key in
                withSerializedValue(record.value, topic: record.topic) { value in
                    enqueueSerialized(
                        topic: record.topic,
                        partition: record.partition,
                        key: key,
                        value: value,
                        timestamp: record.timestamp,
                        headers: record.headers,
                        opaque: opaque
                    )
                }
            }
        } catch {
            return Self.serializationError(.keySerialization, "key", error, topic: record.topic)
        }
    }

    /// ``attempt(_:opaque:)`` for serializers that may add headers: they get a copy of the
    /// record's headers to append to, and the record is sent with what they leave.
    @inlinable
    @inline(never)
    func attemptWritingHeaders(
        _ record: ProducerRecord<Key, Value>,
        _ serializers: HeaderWritingSerializers<Key, Value>,
        opaque: UnsafeMutableRawPointer?
    ) -> KafkaError? {
        var headers = record.headers
        let key: [UInt8]?
        if let recordKey = record.key {
            do {
                key = try serializers.serializeKey(recordKey, record.topic, &headers)
            } catch {
                return Self.serializationError(.keySerialization, "key", error, topic: record.topic)
            }
        } else {
            key = nil
        }
        let value: [UInt8]?
        do {
            value = try serializers.serializeValue(record.value, record.topic, &headers)
        } catch {
            return Self.serializationError(.valueSerialization, "value", error, topic: record.topic)
        }
        return Self.withOptionalBytes(key) { key in
            Self.withOptionalBytes(value) { value in
                enqueueSerialized(
                    topic: record.topic,
                    partition: record.partition,
                    key: key,
                    value: value,
                    timestamp: record.timestamp,
                    headers: headers,
                    opaque: opaque
                )
            }
        }
    }

    @inlinable
    static func withOptionalBytes(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> KafkaError?) -> KafkaError? {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }

    @inlinable
    func withSerializedValue(
        _ value: Value,
        topic: String,
        _ body: (UnsafeRawBufferPointer?) -> KafkaError?
    ) -> KafkaError? {
        do {
            return try serializeValue(value, topic, body)
        } catch {
            return Self.serializationError(.valueSerialization, "value", error, topic: topic)
        }
    }

    @usableFromInline
    static func serializationError(_ code: KafkaError.Code, _ part: String, _ error: any Error, topic: String) -> KafkaError {
        KafkaError(
            code: code,
            message: "the \(part) could not be serialized: \(error)",
            topic: topic,
            underlyingError: error
        )
    }

    /// Why a record may not be sent at all, checked before its serializers run: the producer
    /// is closed (checked again under the gate; this keeps the answer `clientClosed` rather
    /// than whatever a serializer might throw), or a transactional producer has no
    /// transaction open.
    @usableFromInline
    func refusalBeforeSerializing(topic: String, partition: Int32?) -> KafkaError? {
        if isClosed { return .clientClosed("producer") }
        if let transactions, !transactions.acceptsSends {
            return transactions.sendRefusal().concerning(topic: topic, partition: partition)
        }
        return nil
    }

    /// Hands a serialized record to librdkafka, unless the producer is closed. `key` and
    /// `value` are the serializers' buffers, valid only during the call; everything after
    /// serialization lives here, in non-generic code.
    ///
    /// - Returns: `nil` if librdkafka accepted it (and took `opaque`), else why not.
    @usableFromInline
    func enqueueSerialized(
        topic: String,
        partition: Int32?,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        timestamp: KafkaTimestamp?,
        headers: [RecordHeader],
        opaque: UnsafeMutableRawPointer?
    ) -> KafkaError? {
        // A Swift partitioner (see PartitionerPlacement) places the record here, where its
        // key and value are serialized; librdkafka gets its answer as an explicit partition.
        if partition == nil, let placement {
            switch placement.partition(topic: topic, key: key, value: value, fetch: partitionsForPlacement) {
            case .success(let chosen):
                return enqueueSerialized(topic: topic, partition: chosen, key: key, value: value, timestamp: timestamp, headers: headers, opaque: opaque)
            case .failure(let refusal):
                return refusal
            }
        }
        guard gate.enterSending() else {
            // Counted inside for an instant all the same, which may have kept an event from
            // waking the report thread.
            reports?.senderLeft()
            return .clientClosed("producer")
        }
        let record = NativeMessages.Record(partition: partition, key: key, value: value, timestamp: timestamp, opaque: opaque)
        reports?.senderWillSend(carryingContext: opaque != nil)
        var refusal = produce(record, topic: topic, headers: headers)
        if let error = refusal, error.code == .queueFull, reports?.serveAfterSend() == true {
            // Serving the reports made room: try once more before waiting.
            refusal = produce(record, topic: topic, headers: headers)
        }
        // Serve the reports that are ready here, on the thread that allocated their records,
        // as a C program would with rd_kafka_poll(rk, 0) after each produce.
        if refusal == nil { reports?.serveAfterSend() }
        // Read inside the gate, where the handle is still valid.
        if refusal?.code == .fatal, let fatal = NativeErrors.fatalError(of: client.pointer) { refusal = fatal }
        gate.leaveSending()
        reports?.senderLeft()
        guard var refusal else { return nil }
        if let transactions { refusal = transactions.classifySendRefusal(refusal) }
        return refusal.concerning(topic: topic, partition: partition)
    }

    private func produce(_ record: NativeMessages.Record, topic: String, headers: [RecordHeader]) -> KafkaError? {
        let handle = client.topicHandleFinder._withUnsafeGuaranteedRef { $0.pointer(for: topic, client: client.pointer) }
        if let handle {
            return NativeMessages.produce(client: client.pointer, topic: .handle(handle), record, headers: headers)
        }
        return topic.withCString { name in
            NativeMessages.produce(client: client.pointer, topic: .name(name), record, headers: headers)
        }
    }

    /// Rejects what librdkafka would otherwise accept and only fail later, or fail obscurely.
    @usableFromInline
    func validate(topic: String, partition: Int32?) -> KafkaError? {
        if let problem = knownTopic.problem(with: topic) {
            return KafkaError(code: .invalidRecord, message: problem, topic: topic)
        }
        if let partition, partition < 0 {
            return KafkaError(
                code: .invalidRecord,
                message: "partition \(partition) is negative; leave it nil to let the partitioner choose",
                topic: topic,
                partition: partition
            )
        }
        return nil
    }

    /// Rejects a header name librdkafka would cut short: names are C strings, ending at NUL.
    @usableFromInline
    func validate(headers: [RecordHeader], topic: String) -> KafkaError? {
        guard let header = headers.first(where: { $0.key.utf8.contains(0) }) else { return nil }
        return KafkaError(
            code: .invalidRecord,
            message: "header name \(header.key.debugDescription) contains a NUL character, which Kafka clients cannot read back",
            topic: topic
        )
    }

    // MARK: - Backpressure

    /// Read before each attempt; see ``WakeSignal``.
    @usableFromInline
    var queueSpaceGeneration: UInt64 { events.queueSpace.generation }

    /// Says how long the send waited, so a queue-full error points at the settings involved.
    @usableFromInline
    func explainQueueFull(_ error: KafkaError) -> KafkaError {
        guard error.code == .queueFull else { return error }
        var explained = error
        let waited = queueFullBehavior == .fail ? "queueFullBehavior is .fail" : "still full after maxBlock (\(maxBlock))"
        explained.message = "the producer's queue is full (\(waited)); raise maxQueuedRecords/maxQueuedKilobytes or send more slowly: \(error.message)"
        return explained
    }

    /// Waits for delivery reports to make room; false once the deadline (fixed now, if not
    /// yet) has passed or the producer closed.
    @usableFromInline
    func waitForRoom(after generation: UInt64, deadline: inout QueueFullDeadline) async -> Bool {
        let end = deadline.fix(waitingAtMost: maxBlock)
        let remaining = ContinuousClock.now.duration(to: end)
        guard remaining > .zero, !gate.isClosed else { return false }
        await events.queueSpace.wait(after: generation, limit: min(remaining, .milliseconds(100)))
        return !gate.isClosed
    }

    @usableFromInline
    func waitForRoomBlocking(after generation: UInt64, deadline: inout QueueFullDeadline) -> Bool {
        let end = deadline.fix(waitingAtMost: maxBlock)
        guard queueFullBehavior == .block, ContinuousClock.now < end, !gate.isClosed else { return false }
        events.queueSpace.waitBlocking(after: generation, until: end)
        return !gate.isClosed
    }
}
