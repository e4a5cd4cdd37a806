import Tracing

// The read methods are @inlinable so that callers' builds specialize them for their own Key
// and Value: the per-record work (deserializing, building the record) then runs as concrete
// code, without runtime metadata lookups or value-witness copies. They hold only that work;
// admission, waiting and librdkafka's messages are in the non-generic ConsumerReader.
extension KafkaConsumer {
    /// Returns the next record, waiting up to `timeout` for one; `nil` if none came.
    ///
    /// Blocks the calling thread (in async code prefer ``records``). Rebalance callbacks run
    /// inside this call.
    ///
    /// - Throws: `wakeup` when ``wakeup()`` interrupted it; `clientClosed` after ``close(timeout:)``;
    ///   `keyDeserialization` / `valueDeserialization` naming the record's topic, partition
    ///   and offset — the consumer's position is already past that record, so calling
    ///   `poll` again skips it; or a consumer error librdkafka reported (such as
    ///   `autoOffsetReset` when ``ConsumerConfiguration/AutoOffsetReset/error`` is set).
    @inlinable
    public func poll(timeout: Duration) throws(KafkaError) -> ConsumerRecord<Key, Value>? {
        try reader.begin()
        defer { reader.end() }
        var wait = ReadWait(timeout: timeout)
        while true {
            if poller.hasPending { return try poller.takePendingOne() }
            // Records the async sequence read ahead come first.
            if let index = reader.nextBuffered() {
                if let record = try poller.takeOne(reader.batch, at: index) { return record }
                continue
            }
            if try reader.read(limit: 1, wait: &wait) == 0, wait.isOver() { return nil }
        }
    }

    /// Returns up to `maxRecords` records, waiting up to `timeout` for the first; an empty
    /// array if none came.
    ///
    /// Takes what librdkafka has ready, up to `maxRecords` (at most 65 536), in one call: it
    /// does not wait for a full batch. It never takes more than it returns, because librdkafka counts a
    /// record as consumed (the position, and with auto offset store the offset to commit)
    /// as soon as it hands it over. The exception is an error: if a record cannot be
    /// deserialized, or librdkafka reports an error, the records before it are returned and
    /// the next call throws the error (see ``poll(timeout:)``); the records after it were
    /// already taken and are returned by the calls after that, so none is dropped silently.
    /// Until they are returned, the offsets stored for commit stay at the first of them.
    ///
    /// With tracing on (see ``TracingConfiguration``), a poll that returns records is traced
    /// as one span linked to the context each record carries.
    @inlinable
    public func poll(maxRecords: Int, timeout: Duration) throws(KafkaError) -> [ConsumerRecord<Key, Value>] {
        guard let tracing else { return try pollBatch(maxRecords: maxRecords, timeout: timeout) }
        let start = DefaultTracerClock.now
        let records = try pollBatch(maxRecords: maxRecords, timeout: timeout)
        tracing.recordPoll(records, startedAt: start)
        return records
    }

    @inlinable
    func pollBatch(maxRecords: Int, timeout: Duration) throws(KafkaError) -> [ConsumerRecord<Key, Value>] {
        guard maxRecords > 0 else { throw ConsumerReader.invalidMaxRecords(maxRecords) }
        try reader.begin()
        defer { reader.end() }
        var records: [ConsumerRecord<Key, Value>] = []
        var wait = ReadWait(timeout: timeout)
        while true {
            if poller.hasPending { return try poller.takePending(upTo: maxRecords) }
            let batch = reader.batch
            // Records the async sequence read ahead come first.
            if !batch.isDrained {
                if reader.hasDropRequests { reader.applyDropRequests() }
                let end = min(batch.count, batch.cursor + maxRecords)
                poller.take(batch, batch.cursor..<end, into: &records)
                batch.cursor = end
                if !records.isEmpty { return records }
                continue
            }
            if try reader.read(limit: maxRecords, wait: &wait) == 0, wait.isOver() { return records }
        }
    }
}
