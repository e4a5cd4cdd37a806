/// The non-generic half of reading: admission (gate, poller token, wakeup, close), waiting,
/// and the batch of librdkafka messages being read.
///
/// The read methods of `KafkaConsumer<Key, Value>` are `@inlinable`, so callers specialize
/// them for their own `Key` and `Value` and the per-record work (deserializing, building
/// the ``ConsumerRecord``) runs as concrete code; unspecialized generic code would pay
/// runtime metadata lookups and value-witness copies for every record. Everything that does
/// not depend on `Key` and `Value` lives here instead, behind `@usableFromInline` methods.
///
/// Only the task holding the poller token (``begin()``) uses the batch, so it takes no lock.
@usableFromInline
final class ConsumerReader: @unchecked Sendable {
    // @unchecked: `batch` is reached only by the holder of the poller token; the rest is Sendable.
    let native: NativeConsumer
    let gate: ClientGate
    let lifecycle: ConsumerLifecycle
    let readiness: WakeSignal
    @usableFromInline let batch: NativeMessageBatch

    /// The longest a waiting async iterator goes without asking librdkafka: keeps serving
    /// rebalances and keeps the member within `max.poll.interval`.
    static var idleReadInterval: Duration { .milliseconds(500) }

    init(
        native: NativeConsumer,
        gate: ClientGate,
        lifecycle: ConsumerLifecycle,
        readiness: WakeSignal,
        onPartitionEOF: (@Sendable (TopicPartitionOffset) -> Void)?,
        readsHeaders: Bool
    ) {
        self.native = native
        self.gate = gate
        self.lifecycle = lifecycle
        self.readiness = readiness
        batch = NativeMessageBatch(onPartitionEOF: onPartitionEOF, readsHeaders: readsHeaders)
    }

    // MARK: Admission

    /// Admits the caller as the one reader. Pair with ``end()``.
    ///
    /// - Throws: `clientClosed`, `state` if another task is reading, or `wakeup`.
    @usableFromInline
    func begin() throws(KafkaError) {
        guard gate.enter() else { throw .clientClosed("consumer") }
        guard lifecycle.beginPoll() else {
            gate.leave()
            throw KafkaError(code: .state, message: "another task is reading from this consumer; read from one task at a time")
        }
        if lifecycle.takeWakeup() {
            end()
            throw Self.wakeupError
        }
    }

    /// ``begin()`` for the async sequence: `false` instead of `clientClosed`.
    @usableFromInline
    func beginAvailable() throws(KafkaError) -> Bool {
        do {
            try begin()
            return true
        } catch where error.code == .clientClosed {
            return false
        }
    }

    @usableFromInline
    func end() {
        batch.release()
        lifecycle.endPoll()
        gate.leave()
    }

    @usableFromInline
    static func invalidMaxRecords(_ maxRecords: Int) -> KafkaError {
        KafkaError(code: .invalidArgument, message: "maxRecords must be positive (got \(maxRecords))")
    }

    static var wakeupError: KafkaError {
        KafkaError(code: .wakeup, message: "the read was interrupted by wakeup()")
    }

    // MARK: Reading

    /// Reads up to `limit` messages into ``batch``, waiting (within `wait`) for the first;
    /// returns how many records and errors it holds. 0 means nothing came: either the wait
    /// is over or only partition ends arrived.
    ///
    /// librdkafka counts a message as consumed (position, and the offset to commit with auto
    /// offset store) when it hands it over, so this never reads more than `limit`: what the
    /// caller returns.
    ///
    /// - Throws: `wakeup` or `clientClosed` when nothing was read.
    @usableFromInline
    func read(limit: Int, wait: inout ReadWait) throws(KafkaError) -> Int {
        batch.release()
        var count = batch.read(from: native, timeoutMilliseconds: 0, limit: limit)
        if count == 0 {
            let remaining = wait.remainingMilliseconds()
            if remaining > 0 {
                // librdkafka waits until it has all `limit`: wait for one, take the rest as is.
                count = batch.read(from: native, timeoutMilliseconds: remaining, limit: 1)
                if count > 0 && limit > 1 {
                    count += batch.read(from: native, timeoutMilliseconds: 0, limit: limit - 1)
                }
            }
        }
        if count == 0 {
            if lifecycle.takeWakeup() { throw Self.wakeupError }
            if gate.isClosed { throw .clientClosed("consumer") }
        }
        return count
    }

    /// Reads at most one message without waiting, for the async sequence: how many records
    /// and errors it holds, or `nil` if librdkafka had nothing queued.
    @usableFromInline
    func readAvailable() -> Int? {
        batch.release()
        let count = batch.read(from: native, timeoutMilliseconds: 0, limit: 1)
        return count == 0 && !batch.tookAny ? nil : count
    }

    // MARK: Waiting (async sequence)

    /// Bumped whenever librdkafka queues something for the consumer, and on wakeup and close.
    @usableFromInline
    var readinessGeneration: UInt64 { readiness.generation }

    /// After an empty read: throws `wakeup` if requested, else suspends until the queue
    /// changes after `generation` or ``idleReadInterval`` passes.
    @usableFromInline
    func waitForRecords(after generation: UInt64) async throws(KafkaError) {
        if lifecycle.takeWakeup() { throw Self.wakeupError }
        await readiness.wait(after: generation, limit: Self.idleReadInterval)
    }

    // MARK: Deserialization errors

    /// The error for a key or value that could not be deserialized, naming its coordinates.
    @usableFromInline
    static func deserializationError(isKey: Bool, _ error: any Error, _ message: ConsumedMessage) -> KafkaError {
        let what = isKey ? "key" : "value"
        return KafkaError(
            code: isKey ? .keyDeserialization : .valueDeserialization,
            message: "could not deserialize the \(what) of \(message.topic)-\(message.partition)@\(message.offset): \(error)",
            isRetriable: false,
            topic: message.topic,
            partition: message.partition,
            offset: message.offset,
            underlyingError: error
        )
    }
}

/// A read's timeout, turned into a deadline only once a read has to wait, so a read that
/// finds records at once does not look at the clock.
@usableFromInline
struct ReadWait {
    private let timeout: Duration
    private var deadline: ContinuousClock.Instant?

    @usableFromInline
    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Milliseconds left (0 when over), starting the clock on first use.
    mutating func remainingMilliseconds() -> Int32 {
        let deadline = self.deadline ?? (ContinuousClock.now + timeout)
        self.deadline = deadline
        let remaining = ContinuousClock.now.duration(to: deadline)
        return remaining <= .zero ? 0 : Duration.timeoutMilliseconds(remaining)
    }

    /// Whether the timeout has passed.
    @usableFromInline
    mutating func isOver() -> Bool { remainingMilliseconds() == 0 }
}
