extension KafkaProducer {
    /// Whether the producer was configured with a ``ProducerConfiguration/transactionalID``.
    public var isTransactional: Bool { transactions != nil }

    /// Registers the transactional id with its coordinator, fencing off any older producer
    /// with the same id and completing or aborting the transaction it left open. Call once,
    /// before the first transaction.
    ///
    /// Suspends without blocking a cooperative thread (librdkafka's call blocks, so it runs
    /// on a thread of its own). A retriable error (such as `timedOut`) may be retried by
    /// calling again.
    public func initTransactions(timeout: Duration = .seconds(60)) async throws(KafkaError) {
        try await transactionManager(for: .initialize).perform(.initialize, client: client, gate: gate) { client in
            NativeTransactions.initialize(client, timeout: timeout)
        }
    }

    /// Opens a transaction: records sent from now on are committed or aborted together.
    ///
    /// Prefer ``withTransaction(maxAttempts:timeout:_:)``, which also commits, aborts and
    /// retries as the error requires.
    public func beginTransaction() async throws(KafkaError) {
        try await transactionManager(for: .begin).perform(.begin, client: client, gate: gate) { client in
            NativeTransactions.begin(client)
        }
    }

    /// Adds a consumer's positions to the open transaction: they are committed for its group
    /// if, and only if, the transaction commits. This is what makes consume-transform-produce
    /// exactly-once.
    ///
    /// - Parameters:
    ///   - offsets: for each partition, the offset of the next record to consume (the last
    ///     processed offset + 1). Negative (logical) offsets are ignored by librdkafka.
    ///   - groupMetadata: the consumer's current group metadata; take it from the consumer
    ///     after processing, so the coordinator can fence a consumer that lost its partitions.
    /// - Throws: ``KafkaError``; on a retriable error call again with the same arguments.
    public func sendOffsetsToTransaction(
        _ offsets: [TopicPartitionOffset],
        groupMetadata: ConsumerGroupMetadata,
        timeout: Duration = .seconds(60)
    ) async throws(KafkaError) {
        let manager = try transactionManager(for: .sendOffsets)
        if let invalid = offsets.first(where: { $0.topic.isEmpty || $0.partition < 0 }) {
            throw KafkaError(
                code: .invalidArgument,
                message: "sendOffsetsToTransaction(): offset for \(invalid.topic.isEmpty ? "an empty topic name" : "a negative partition")",
                topic: invalid.topic,
                partition: invalid.partition
            )
        }
        let native = groupMetadata.native
        try await manager.perform(.sendOffsets, client: client, gate: gate) { client in
            NativeTransactions.sendOffsets(client, offsets, groupMetadata: native, timeout: timeout)
        }
    }

    /// Delivers every record of the transaction and commits it (with any offsets sent to
    /// it), making its records visible to `read_committed` consumers.
    ///
    /// - Throws: ``KafkaError``. If ``KafkaError/requiresTransactionAbort``, call
    ///   ``abortTransaction(timeout:)`` and redo the transaction; if ``KafkaError/isRetriable``,
    ///   commit again (or abort); if ``KafkaError/isFatal``, close the producer.
    public func commitTransaction(timeout: Duration = .seconds(60)) async throws(KafkaError) {
        try await transactionManager(for: .commit).perform(.commit, client: client, gate: gate) { client in
            NativeTransactions.commit(client, timeout: timeout)
        }
    }

    /// Abandons the open transaction: records not yet delivered are dropped (their sends
    /// fail as purged), and delivered ones are marked aborted, invisible to `read_committed`
    /// consumers. Offsets sent to it are not committed.
    public func abortTransaction(timeout: Duration = .seconds(60)) async throws(KafkaError) {
        try await transactionManager(for: .abort).perform(.abort, client: client, gate: gate) { client in
            NativeTransactions.abort(client, timeout: timeout)
        }
    }

    /// The producer's transaction manager, or the typed error for a producer that has none.
    private func transactionManager(for operation: TransactionStateMachine.Operation) throws(KafkaError) -> TransactionManager {
        guard let transactions else {
            throw KafkaError(
                code: .notConfigured,
                message: "\(operation.rawValue)() needs a transactional producer: set ProducerConfiguration.transactionalID"
            )
        }
        return transactions
    }

    /// Aborts the open transaction, if any, when the producer closes; failures go to onError.
    func abortOpenTransactionForClose(timeout: Duration) async {
        guard let transactions, transactions.hasOpenTransaction else { return }
        do {
            try await abortTransaction(timeout: timeout)
        } catch {
            events.didReceive(error: KafkaError(
                code: error.code,
                message: "close could not abort the open transaction (the coordinator will after transaction.timeout.ms): \(error.message)",
                isRetriable: false,
                isFatal: error.isFatal
            ))
        }
    }
}
