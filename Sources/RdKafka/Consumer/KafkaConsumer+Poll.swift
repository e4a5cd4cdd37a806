extension KafkaConsumer {
    /// Returns the next record, waiting up to `timeout` for one; `nil` if none came.
    ///
    /// Blocks the calling thread (in async code prefer ``records``). Rebalance callbacks run
    /// inside this call.
    ///
    /// - Throws: `wakeup` when ``wakeup()`` interrupted it; `clientClosed` after ``close()``;
    ///   `keyDeserialization` / `valueDeserialization` naming the record's topic, partition
    ///   and offset — the consumer's position is already past that record, so calling
    ///   `poll` again skips it; or a consumer error librdkafka reported (such as
    ///   `autoOffsetReset` when ``ConsumerConfiguration/AutoOffsetReset/error`` is set).
    public func poll(timeout: Duration) throws(KafkaError) -> ConsumerRecord<Key, Value>? {
        try withPoller { poller throws(KafkaError) in
            if lifecycle.takeWakeup() { throw Self.wakeupError }
            if let entry = poller.next() { return try entry.get() }
            let deadline = ContinuousClock.now + timeout
            while true {
                if lifecycle.takeWakeup() { throw Self.wakeupError }
                let remaining = ContinuousClock.now.duration(to: deadline)
                poller.fill(from: native, timeoutMilliseconds: Duration.timeoutMilliseconds(max(remaining, .zero)), limit: 1)
                if let entry = poller.next() { return try entry.get() }
                if lifecycle.takeWakeup() { throw Self.wakeupError }
                if gate.isClosed { throw .clientClosed("consumer") }
                if remaining <= .zero { return nil }
            }
        }
    }

    /// Returns up to `maxRecords` records, waiting up to `timeout` for the first; an empty
    /// array if none came.
    ///
    /// If a record cannot be deserialized, the records before it are returned and the next
    /// call throws its error (see ``poll(timeout:)``), so none is dropped silently.
    public func poll(maxRecords: Int, timeout: Duration) throws(KafkaError) -> [ConsumerRecord<Key, Value>] {
        guard maxRecords > 0 else {
            throw KafkaError(code: .invalidArgument, message: "maxRecords must be positive (got \(maxRecords))")
        }
        return try withPoller { poller throws(KafkaError) in
            if lifecycle.takeWakeup() { throw Self.wakeupError }
            if poller.isEmpty {
                let deadline = ContinuousClock.now + timeout
                while poller.isEmpty {
                    if lifecycle.takeWakeup() { throw Self.wakeupError }
                    let remaining = ContinuousClock.now.duration(to: deadline)
                    poller.fill(from: native, timeoutMilliseconds: Duration.timeoutMilliseconds(max(remaining, .zero)), limit: maxRecords)
                    if poller.isEmpty && lifecycle.takeWakeup() { throw Self.wakeupError }
                    if poller.isEmpty && gate.isClosed { throw .clientClosed("consumer") }
                    if remaining <= .zero { break }
                }
            }
            var records: [ConsumerRecord<Key, Value>] = []
            records.reserveCapacity(maxRecords)
            while records.count < maxRecords {
                if poller.nextIsError && !records.isEmpty { break }
                guard let entry = poller.next() else { break }
                records.append(try entry.get())
            }
            return records
        }
    }

    /// What a non-blocking read found, for the async sequence.
    enum AvailableRead {
        case entry(Result<ConsumerRecord<Key, Value>, KafkaError>)
        case empty
        case closed
    }

    /// Takes what is buffered or immediately available, without waiting.
    func readAvailable() throws(KafkaError) -> AvailableRead {
        guard !gate.isClosed else { return .closed }
        do {
            return try withPoller { poller throws(KafkaError) -> AvailableRead in
                if let entry = poller.next() { return .entry(entry) }
                // One record at a time: librdkafka counts every record it hands over as
                // consumed, so records read ahead into the buffer would be committed (on
                // revoke, on close, by commit()) before the sequence returned them, and lost
                // if the consumer closed first. librdkafka's fetch queue still batches.
                poller.fill(from: native, timeoutMilliseconds: 0, limit: 1)
                if let entry = poller.next() { return .entry(entry) }
                return .empty
            }
        } catch where error.code == .clientClosed {
            return .closed
        }
    }

    static var wakeupError: KafkaError {
        KafkaError(code: .wakeup, message: "the read was interrupted by wakeup()")
    }
}
