extension KafkaConsumer {
    /// Commits the offsets of the records returned so far (with manual offset store, the
    /// offsets you stored) and waits for the coordinator's answer, blocking the calling
    /// thread: for threads you own and for a ``RebalanceListener``. Async code uses
    /// ``commit()``, which suspends instead.
    ///
    /// - Throws: a ``KafkaError``; `rebalanceInProgress` (retriable) while the group
    ///   rebalances — also, without sending anything, while this member is rejoining the
    ///   group (see "Cooperative rebalances and commits" in the consumer guide) —
    ///   `unknownGroup` without a group.
    public func commitSync() throws(KafkaError) {
        try requireGroup("commitSync")
        try requireNoRejoin()
        reader.storeReturned()
        try withClient { native throws(KafkaError) in try native.commitSync(nil) }
    }

    /// Commits the given offsets (each the offset of the *next* record to read) and waits,
    /// blocking the calling thread.
    public func commitSync(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        try requireGroup("commitSync")
        guard !offsets.isEmpty else { return }
        try requireNoRejoin()
        try withClient { native throws(KafkaError) in try native.commitSync(offsets) }
        poller.interceptors?.onCommit(offsets)
    }

    /// Commits the offsets of the records returned so far (with manual offset store, the
    /// offsets you stored), suspending without blocking a thread until the coordinator
    /// answers.
    ///
    /// - Throws: a ``KafkaError``; `rebalanceInProgress` (retriable) while the group
    ///   rebalances — also, without sending anything, while this member is rejoining the
    ///   group — `unknownGroup` without a group.
    public func commit() async throws(KafkaError) {
        try requireGroup("commit")
        try await commitAwaiting(nil)
    }

    /// Commits the given offsets, suspending until the answer.
    public func commit(_ offsets: [TopicPartitionOffset]) async throws(KafkaError) {
        try requireGroup("commit")
        guard !offsets.isEmpty else { return }
        try await commitAwaiting(offsets)
    }

    /// Starts a commit (of `offsets`, or of the records returned so far) and calls
    /// `completion` with the committed offsets or the error, on librdkafka's background
    /// thread: keep it short. Without a completion, a failure is logged.
    ///
    /// A commit started while this member is rejoining its group is held and sent once the
    /// member's assignment is stable again (or, if partitions are revoked first, just before
    /// they go), with only the partitions the member still owns; a commit the coordinator
    /// refuses with `rebalanceInProgress` while the member rejoins is sent again so, once.
    /// `completion` reports the final outcome.
    public func commitAsync(
        _ offsets: [TopicPartitionOffset]? = nil,
        completion: (@Sendable (Result<[TopicPartitionOffset], KafkaError>) -> Void)? = nil
    ) {
        startCommit(offsets, canWait: true, completion: completion)
    }

    private func commitAwaiting(_ offsets: [TopicPartitionOffset]?) async throws(KafkaError) {
        // The answer is built on librdkafka's background thread, which may resume the task
        // before it has finished suspending; the runtime orders that with atomics
        // ThreadSanitizer cannot see, so it took the error's fields, read by the caller
        // afterwards, for a race. Handed over under a pthread lock, the order is visible.
        let answer = Locked<Result<[TopicPartitionOffset], KafkaError>?>(nil)
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            // The awaiting task may be the reading one, which must keep reading for a
            // rebalance to end: such a commit is refused during a rejoin, never held.
            startCommit(offsets, canWait: false) { result in
                answer.withLock { $0 = result }
                continuation.resume()
            }
        }
        // Set before the resume: the completion runs exactly once (CommitCompletion).
        _ = try answer.withLock { $0 ?? .success([]) }.get()
    }

    private func startCommit(
        _ offsets: [TopicPartitionOffset]?,
        canWait: Bool,
        completion: (@Sendable (Result<[TopicPartitionOffset], KafkaError>) -> Void)?
    ) {
        let logger = events.logger
        var body = completion ?? { result in
            if case .failure(let error) = result {
                logger.warning("asynchronous commit failed", metadata: ["error": "\(error)"])
            }
        }
        if let interceptors = poller.interceptors {
            let original = body
            body = { result in
                if case .success(let committed) = result { interceptors.onCommit(committed) }
                original(result)
            }
        }
        do {
            try requireGroup("commitAsync")
        } catch {
            body(.failure(error))
            return
        }
        // The stored offsets lag the records returned until stored here (see ConsumerReader).
        if offsets == nil { reader.storeReturned() }
        submitCommit(offsets, canWait: canWait, wasHeld: false, retried: false, body: body)
    }

    /// Sends the commit now, or leaves it to the rebalance gate (see ``CommitGate``).
    private func submitCommit(
        _ offsets: [TopicPartitionOffset]?,
        canWait: Bool,
        wasHeld: Bool,
        retried: Bool,
        body: @escaping @Sendable (Result<[TopicPartitionOffset], KafkaError>) -> Void
    ) {
        // A refused waiting commit is still sent when the hold ends (the latest one), but its
        // caller has had its answer: the outcome then goes to the interceptors and the log.
        let later: @Sendable (Result<[TopicPartitionOffset], KafkaError>) -> Void
        if canWait {
            later = body
        } else {
            let logger = events.logger
            let interceptors = poller.interceptors
            later = { result in
                switch result {
                case .success(let committed):
                    interceptors?.onCommit(committed)
                case .failure(let error):
                    logger.debug("a commit refused during a rejoin failed when sent after it", metadata: ["error": "\(error)"])
                }
            }
        }
        let held = HeldCommit(
            send: { [weak self] in
                guard let self else { return later(.failure(.clientClosed("consumer"))) }
                self.sendCommit(offsets, canWait: canWait, ownedOnly: true, retried: retried, body: later)
            },
            fail: { later(.failure($0)) }
        )
        switch rebalance.admitCommit(held, canWait: canWait) {
        case .send:
            sendCommit(offsets, canWait: canWait, ownedOnly: wasHeld, retried: retried, body: body)
        case .hold:
            break
        case .refuse:
            body(.failure(Self.rejoining))
        }
    }

    private func sendCommit(
        _ offsets: [TopicPartitionOffset]?,
        canWait: Bool,
        ownedOnly: Bool,
        retried: Bool,
        body: @escaping @Sendable (Result<[TopicPartitionOffset], KafkaError>) -> Void
    ) {
        var offsets = offsets
        if ownedOnly, let given = offsets {
            // Held across a rebalance: a partition that moved meanwhile belongs to another
            // member, whose committed offset this one must not move back. (Without offsets,
            // librdkafka commits its current assignment anyway.)
            let owned = Set((try? withClient { native throws(KafkaError) in try native.assignment() }) ?? [])
            let kept = given.filter { owned.contains($0.topicPartition) }
            guard !kept.isEmpty else {
                return body(.failure(KafkaError(
                    code: .assignmentLost,
                    message: "commit not sent: this member no longer owns the partitions after the rebalance"
                )))
            }
            offsets = kept
        }
        let sent = offsets
        let retry: @Sendable (Result<[TopicPartitionOffset], KafkaError>) -> Void = { [weak self] result in
            // Refused because the group was rebalancing: once more when this member's part of
            // it is over, if it is rejoining by now. Not at once while it still looks stable:
            // the refusal means its own rejoin is imminent, and a commit sent then is the one
            // #4059 is about.
            guard case .failure(let error) = result, error.code == .rebalanceInProgress, let self,
                  !self.rebalance.admitsWaitingCommit else {
                return body(result)
            }
            self.submitCommit(sent, canWait: canWait, wasHeld: true, retried: true, body: body)
        }
        let opaque = CommitCompletion(retried ? body : retry).retainedOpaque()
        do {
            try withClient { native throws(KafkaError) in try native.commitAsync(offsets, opaque: opaque) }
        } catch {
            CommitCompletion.takeRetained(opaque).complete(.failure(error))
        }
    }

    /// A waiting commit may not be sent while the member rejoins its group.
    private func requireNoRejoin() throws(KafkaError) {
        guard rebalance.admitsWaitingCommit else { throw Self.rejoining }
    }

    private static var rejoining: KafkaError {
        KafkaError(
            code: .rebalanceInProgress,
            message: "not committed: this member is rejoining its group, and a commit sent now would carry the generation that is ending (librdkafka#4059); commit again once the rebalance completes"
        )
    }

    /// Marks `record` processed: its next offset is committed by the next auto commit (or
    /// ``commit()`` or ``commitSync()``). Requires ``ConsumerConfiguration/enableAutoOffsetStore`` `false`.
    ///
    /// Storing after processing, with auto commit on, gives at-least-once delivery without
    /// a commit per record.
    public func storeOffset(for record: ConsumerRecord<Key, Value>) throws(KafkaError) {
        try storeOffsets([TopicPartitionOffset(after: record)])
    }

    /// Stores offsets (each the offset of the next record to read) for the next commit.
    public func storeOffsets(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        try requireGroup("storeOffsets")
        guard reader.storage == .application else {
            // As librdkafka refuses it with its own auto offset store on: the consumer
            // stores the offset of every record it returns, and would overwrite these.
            throw KafkaError(
                code: .invalidArgument,
                message: "storing offsets needs ConsumerConfiguration.enableAutoOffsetStore set to false; otherwise the consumer stores the offset of each record it returns"
            )
        }
        try withClient { native throws(KafkaError) in try native.storeOffsets(offsets) }
    }

    /// The group's committed offsets for `partitions`, asked of the coordinator; `nil` for a
    /// partition without a committed offset.
    public func committed(_ partitions: [TopicPartition], timeout: Duration = .seconds(10)) throws(KafkaError) -> [TopicPartition: Int64] {
        try requireGroup("committed")
        let offsets = try withClient { native throws(KafkaError) in try native.committed(partitions, timeout: timeout) }
        var result: [TopicPartition: Int64] = [:]
        for entry in offsets where entry.offset >= 0 { result[entry.topicPartition] = entry.offset }
        return result
    }

    /// The group's committed offsets for `partitions` with the metadata stored with each
    /// commit (Java's `committed`, answering `OffsetAndMetadata`); a partition without a
    /// committed offset is absent.
    ///
    /// The metadata is what a commit of ``TopicPartitionOffset`` values carried in
    /// ``TopicPartitionOffset/metadata``: `nil` when it carried none.
    public func committedWithMetadata(
        _ partitions: [TopicPartition],
        timeout: Duration = .seconds(10)
    ) throws(KafkaError) -> [TopicPartition: OffsetAndMetadata] {
        try requireGroup("committed")
        let offsets = try withClient { native throws(KafkaError) in try native.committed(partitions, timeout: timeout) }
        var result: [TopicPartition: OffsetAndMetadata] = [:]
        for entry in offsets where entry.offset >= 0 {
            result[entry.topicPartition] = OffsetAndMetadata(offset: entry.offset, metadata: entry.metadata)
        }
        return result
    }
}
