extension KafkaProducer {
    /// Sends `record` and returns where the broker stored it.
    ///
    /// When librdkafka's queue is full this suspends, without blocking a thread, until
    /// delivery reports make room, for up to ``ProducerConfiguration/maxBlock``; then it
    /// throws `queueFull`.
    ///
    /// - Throws: ``KafkaError`` if the record is invalid, cannot be serialized (nothing is
    ///   sent), was not accepted in time, or was accepted but failed (its `code` says why).
    @discardableResult
    public func send(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> RecordMetadata {
        let deadline = ContinuousClock.now + maxBlock
        while true {
            let generation = events.queueSpace.generation
            let result = await withUnsafeContinuation { continuation in
                let context = DeliveryContext(.continuation(continuation))
                let opaque = context.retainedOpaque()
                if let refusal = enqueue(record, opaque: opaque) {
                    _ = DeliveryContext.takeRetained(opaque)
                    continuation.resume(returning: .failure(refusal))
                }
            }
            if case .failure(let error) = result, error.code == .queueFull,
               await waitForRoom(after: generation, until: deadline) {
                continue
            }
            return try result.mapError(explainQueueFull).get()
        }
    }

    /// Enqueues `record` and returns a handle whose delivery can be awaited later, so one
    /// task can keep many records in flight (see ``PendingDelivery``).
    ///
    /// Suspends while the queue is full, as ``send(_:)`` does.
    public func enqueue(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> PendingDelivery {
        let deadline = ContinuousClock.now + maxBlock
        let pending = PendingDelivery()
        while true {
            let generation = events.queueSpace.generation
            let opaque = DeliveryContext(.pending(pending)).retainedOpaque()
            guard let refusal = enqueue(record, opaque: opaque) else { return pending }
            _ = DeliveryContext.takeRetained(opaque)
            if refusal.code == .queueFull, await waitForRoom(after: generation, until: deadline) { continue }
            throw explainQueueFull(refusal)
        }
    }

    /// Sends `record` and calls `onDelivery` with its outcome, on librdkafka's background
    /// thread: keep the callback short and do not block in it.
    ///
    /// If the queue is full this blocks the calling thread for up to
    /// ``ProducerConfiguration/maxBlock`` (or throws at once with `.fail`). When it throws,
    /// the record was not accepted and `onDelivery` is not called.
    public func send(
        _ record: ProducerRecord<Key, Value>,
        onDelivery: @escaping @Sendable (Result<RecordMetadata, KafkaError>) -> Void
    ) throws(KafkaError) {
        let deadline = ContinuousClock.now + maxBlock
        while true {
            let generation = events.queueSpace.generation
            let opaque = DeliveryContext(.callback(onDelivery)).retainedOpaque()
            guard let refusal = enqueue(record, opaque: opaque) else { return }
            _ = DeliveryContext.takeRetained(opaque)
            if refusal.code == .queueFull, waitForRoomBlocking(after: generation, until: deadline) { continue }
            throw explainQueueFull(refusal)
        }
    }

    /// Sends `record` without waiting for, or being told, its outcome. The cheapest way to
    /// send: no allocation per record beyond librdkafka's own copy.
    ///
    /// A delivery failure still goes to ``ProducerConfiguration/onDeliveryFailure``, or to
    /// the log when no handler is set. Blocks on a full queue as ``send(_:onDelivery:)``.
    public func sendAndForget(_ record: ProducerRecord<Key, Value>) throws(KafkaError) {
        let deadline = ContinuousClock.now + maxBlock
        while true {
            let generation = events.queueSpace.generation
            guard let refusal = enqueue(record, opaque: nil) else { return }
            if refusal.code == .queueFull, waitForRoomBlocking(after: generation, until: deadline) { continue }
            throw explainQueueFull(refusal)
        }
    }

    // MARK: - The one path into librdkafka

    /// Validates, serializes and hands `record` to librdkafka.
    ///
    /// - Returns: `nil` if librdkafka accepted it (and took `opaque`), else why not.
    private func enqueue(_ record: ProducerRecord<Key, Value>, opaque: UnsafeMutableRawPointer?) -> KafkaError? {
        if let invalid = Self.validate(record) { return invalid }
        guard gate.enter() else { return .clientClosed("producer") }
        defer { gate.leave() }
        let refusal = record.topic.withCString { topic in
            withSerializedKey(of: record) { key in
                withSerializedValue(of: record) { value in
                    NativeMessages.produce(
                        client: client.pointer,
                        topic: topic,
                        partition: record.partition,
                        key: key,
                        value: value,
                        timestamp: record.timestamp,
                        headers: record.headers,
                        opaque: opaque
                    )
                }
            }
        }
        guard var refusal else { return nil }
        if refusal.code == .fatal, let fatal = NativeErrors.fatalError(of: client.pointer) {
            refusal = fatal
        }
        return refusal.concerning(topic: record.topic, partition: record.partition)
    }

    private func withSerializedKey(
        of record: ProducerRecord<Key, Value>,
        _ body: (UnsafeRawBufferPointer?) -> KafkaError?
    ) -> KafkaError? {
        guard let key = record.key else { return body(nil) }
        do {
            return try keySerializer.withSerializedBytes(of: key, topic: record.topic, body)
        } catch {
            return KafkaError(
                code: .keySerialization,
                message: "the key could not be serialized: \(error)",
                topic: record.topic,
                underlyingError: error
            )
        }
    }

    private func withSerializedValue(
        of record: ProducerRecord<Key, Value>,
        _ body: (UnsafeRawBufferPointer?) -> KafkaError?
    ) -> KafkaError? {
        do {
            return try valueSerializer.withSerializedBytes(of: record.value, topic: record.topic, body)
        } catch {
            return KafkaError(
                code: .valueSerialization,
                message: "the value could not be serialized: \(error)",
                topic: record.topic,
                underlyingError: error
            )
        }
    }

    /// Rejects what librdkafka would otherwise accept and only fail later, or fail obscurely.
    private static func validate(_ record: ProducerRecord<Key, Value>) -> KafkaError? {
        if record.topic.isEmpty {
            return KafkaError(code: .invalidRecord, message: "the topic name is empty")
        }
        if let partition = record.partition, partition < 0 {
            return KafkaError(
                code: .invalidRecord,
                message: "partition \(partition) is negative; leave it nil to let the partitioner choose",
                topic: record.topic,
                partition: partition
            )
        }
        return nil
    }

    // MARK: - Backpressure

    /// Says how long the send waited, so a queue-full error points at the settings involved.
    private func explainQueueFull(_ error: KafkaError) -> KafkaError {
        guard error.code == .queueFull else { return error }
        var explained = error
        let waited = queueFullBehavior == .fail ? "queueFullBehavior is .fail" : "still full after maxBlock (\(maxBlock))"
        explained.message = "the producer's queue is full (\(waited)); raise maxQueuedRecords/maxQueuedKilobytes or send more slowly: \(error.message)"
        return explained
    }

    /// Waits for delivery reports to make room; false once `deadline` has passed or the
    /// producer closed.
    private func waitForRoom(after generation: UInt64, until deadline: ContinuousClock.Instant) async -> Bool {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero, !gate.isClosed else { return false }
        await events.queueSpace.wait(after: generation, limit: min(remaining, .milliseconds(100)))
        return !gate.isClosed
    }

    private func waitForRoomBlocking(after generation: UInt64, until deadline: ContinuousClock.Instant) -> Bool {
        guard queueFullBehavior == .block, ContinuousClock.now < deadline, !gate.isClosed else { return false }
        events.queueSpace.waitBlocking(after: generation, until: deadline)
        return !gate.isClosed
    }
}
