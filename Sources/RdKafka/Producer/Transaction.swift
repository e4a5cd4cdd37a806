/// The open transaction inside ``KafkaProducer/withTransaction(maxAttempts:timeout:_:)``:
/// what the body sends through it is committed, or aborted, together.
///
/// It is valid only while the body runs; do not keep it.
public struct Transaction<Key, Value>: Sendable {
    let producer: KafkaProducer<Key, Value>
    let timeout: Duration

    /// Which attempt this is, from 1: the body runs again after an abortable or retriable
    /// failure, so side effects outside Kafka should be idempotent or keyed by attempt.
    public let attempt: Int

    /// Sends `record` as part of the transaction.
    ///
    /// Returns once librdkafka has accepted the record, without waiting for the broker: the
    /// commit waits for every record and fails if any failed, so awaiting each one is not
    /// needed. Await the returned ``PendingDelivery`` when you need a record's offset.
    @discardableResult
    public func send(_ record: ProducerRecord<Key, Value>) async throws(KafkaError) -> PendingDelivery {
        try await producer.enqueue(record)
    }

    /// Commits a consumer's positions with this transaction; see
    /// ``KafkaProducer/sendOffsetsToTransaction(_:groupMetadata:timeout:)``.
    public func sendOffsets(_ offsets: [TopicPartitionOffset], groupMetadata: ConsumerGroupMetadata) async throws(KafkaError) {
        try await producer.sendOffsetsToTransaction(offsets, groupMetadata: groupMetadata, timeout: timeout)
    }

    /// Marks `records`, read by `consumer`, as processed by this transaction: commits, with
    /// it, for each of their partitions the offset after the last of them, in `consumer`'s
    /// group (with its current generation, so a consumer that lost its partitions in a
    /// rebalance cannot commit).
    ///
    /// The usual end of a consume-transform-produce step:
    /// ```swift
    /// try await producer.withTransaction { tx in
    ///     for record in batch { try await tx.send(transform(record)) }
    ///     try await tx.sendOffsets(after: batch, of: consumer)
    /// }
    /// ```
    public func sendOffsets<ConsumedKey, ConsumedValue>(
        after records: [ConsumerRecord<ConsumedKey, ConsumedValue>],
        of consumer: KafkaConsumer<ConsumedKey, ConsumedValue>
    ) async throws(KafkaError) {
        let offsets = Self.nextOffsets(after: records)
        guard !offsets.isEmpty else { return }
        try await sendOffsets(offsets, groupMetadata: consumer.groupMetadata())
    }

    /// Per partition of `records`, the offset after the highest of them, sorted by partition.
    static func nextOffsets<ConsumedKey, ConsumedValue>(after records: [ConsumerRecord<ConsumedKey, ConsumedValue>]) -> [TopicPartitionOffset] {
        var next: [TopicPartition: Int64] = [:]
        for record in records {
            let partition = TopicPartition(topic: record.topic, partition: record.partition)
            next[partition] = max(next[partition] ?? 0, record.offset + 1)
        }
        return next.sorted { $0.key < $1.key }.map { TopicPartitionOffset($0.key, offset: $0.value) }
    }
}

extension KafkaProducer {
    /// Runs `body` in a transaction and commits it; the easy and safe way to use transactions.
    ///
    /// ```swift
    /// try await producer.initTransactions()
    /// try await producer.withTransaction { tx in
    ///     for order in orders {
    ///         try await tx.send(ProducerRecord(topic: "orders", key: order.id, value: order))
    ///     }
    /// }
    /// ```
    ///
    /// - If `body` throws, the transaction is aborted and the error rethrown. A
    ///   ``KafkaError`` that is retriable or requires an abort (``KafkaError/requiresTransactionAbort``)
    ///   instead aborts and runs `body` again, up to `maxAttempts` times in all.
    /// - If the commit fails likewise, the transaction is aborted and retried the same way.
    /// - A fatal error (``KafkaError/isFatal``, e.g. this producer was fenced by a newer one
    ///   with the same transactional id) is rethrown at once: close the producer.
    ///
    /// `body` may thus run more than once; only the records of the attempt that commits are
    /// ever visible to `read_committed` consumers.
    ///
    /// A producer runs one transaction at a time: while one is open, another
    /// `withTransaction` (or ``beginTransaction()``) on the same producer throws `state`.
    ///
    /// - Parameters:
    ///   - maxAttempts: how many times `body` may run, at least 1.
    ///   - timeout: the bound for each commit, abort and offset send.
    /// - Returns: what the committed attempt's `body` returned.
    @discardableResult
    public func withTransaction<Result>(
        maxAttempts: Int = 3,
        timeout: Duration = .seconds(60),
        _ body: (Transaction<Key, Value>) async throws -> Result
    ) async throws -> Result {
        guard maxAttempts >= 1 else {
            throw KafkaError(code: .invalidArgument, message: "withTransaction(maxAttempts:) must be at least 1 (got \(maxAttempts))")
        }
        var attempt = 1
        while true {
            do {
                try await beginTransaction()
            } catch {
                guard error.requiresTransactionAbort, attempt < maxAttempts else { throw error }
                // An earlier transaction failed and was never aborted: abort it, then retry.
                if let abortError = await abortAfterFailure(timeout: timeout) { throw abortError }
                attempt += 1
                continue
            }
            // From here on the open transaction is this call's own.
            do {
                let result = try await body(Transaction(producer: self, timeout: timeout, attempt: attempt))
                try await commitTransaction(timeout: timeout)
                return result
            } catch {
                let kafkaError = error as? KafkaError
                if kafkaError?.isFatal == true { throw error }
                if let abortError = await abortAfterFailure(timeout: timeout) { throw abortError }
                guard let kafkaError, Self.isWorthRetrying(kafkaError), attempt < maxAttempts else { throw error }
                attempt += 1
            }
        }
    }

    /// Whether a transaction that failed with `error` may succeed if run again: librdkafka
    /// says so (retriable, or abortable), or a record was purged, which within a
    /// transaction happens when librdkafka has already failed the transaction internally.
    private static func isWorthRetrying(_ error: KafkaError) -> Bool {
        error.isRetriable || error.requiresTransactionAbort
            || error.code == .purgedFromQueue || error.code == .purgedInFlight
    }

    /// Aborts the transaction a failed attempt left open; returns an error only if the
    /// producer cannot continue (the abort failed fatally, or the producer closed).
    private func abortAfterFailure(timeout: Duration) async -> KafkaError? {
        guard let transactions, transactions.hasOpenTransaction else { return nil }
        do {
            try await abortTransaction(timeout: timeout)
            return nil
        } catch {
            return error.isFatal || error.code == .clientClosed ? error : nil
        }
    }
}
