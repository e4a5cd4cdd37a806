import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The non-generic half of reading: admission (gate, poller token, wakeup, close), waiting,
/// the batch of librdkafka messages being read, and the records read ahead in it.
///
/// The read methods of `KafkaConsumer<Key, Value>` are `@inlinable`, so callers specialize
/// them for their own `Key` and `Value` and the per-record work (deserializing, building
/// the ``ConsumerRecord``) runs as concrete code; unspecialized generic code would pay
/// runtime metadata lookups and value-witness copies for every record. Everything that does
/// not depend on `Key` and `Value` lives here instead, behind `@usableFromInline` methods.
///
/// Only the task holding the poller token (``begin()``, or a short borrow) uses the batch, so
/// it takes no lock.
///
/// The async sequence reads ahead: it takes up to ``OffsetStorage/readAheadLimit`` messages
/// per librdkafka call and returns them one per `next()`. That is safe for commits because
/// librdkafka stores no offset on hand-over (see ``OffsetStorage``): the batch stores the
/// offsets of the records returned once it is drained, and before a commit or close (see
/// ``storeReturned()``), so the stored offset may lag what was returned but never leads it.
/// Rebalances need nothing: librdkafka serves them only inside a read, which the sequence
/// makes once its buffer is drained and stored. Seeks, pauses and assignment changes drop
/// the records read ahead of their partitions (see ``ReadAheadDrops``).
@usableFromInline
final class ConsumerReader: @unchecked Sendable {
    // @unchecked: `batch` is reached only by the holder of the poller token; the rest is Sendable.
    let native: NativeConsumer
    let gate: ClientGate
    let lifecycle: ConsumerLifecycle
    let readiness: WakeSignal
    @usableFromInline let batch: NativeMessageBatch
    let storage: OffsetStorage
    /// Counts reads, for ``ReadAheadDrops``.
    private let generation = Atomic<UInt64>(0)
    private let drops = Locked(ReadAheadDrops())
    /// Whether `drops` may hold a request: checked on every record without taking the lock.
    private let hasDrops = Atomic<Bool>(false)
    /// Where partitions whose read-ahead records were dropped stand (the first dropped
    /// record): librdkafka's position is past them until its next read. Kept until the
    /// read after the drop has ended — a rebalance listener inside that read (after an
    /// unsubscribe), or the final revocation of close, still asks — and not behind the
    /// token, which such a listener's reader holds.
    private let droppedPositions = Locked([TopicPartition: Int64]())
    /// What the application paused: no record of these partitions is returned.
    private let paused: PausedPartitions
    /// How many times records of a paused partition came from librdkafka and were held back.
    let pausedReadsHeldBack = Atomic<Int>(0)
    /// Reports an error no caller can receive (a failed seek back after a pause).
    private let report: @Sendable (KafkaError) -> Void

    /// The longest a waiting async iterator goes without asking librdkafka: keeps serving
    /// rebalances and keeps the member within `max.poll.interval`.
    static var idleReadInterval: Duration { .milliseconds(500) }

    init(
        native: NativeConsumer,
        gate: ClientGate,
        lifecycle: ConsumerLifecycle,
        readiness: WakeSignal,
        onPartitionEOF: (@Sendable (TopicPartitionOffset) -> Void)?,
        readsHeaders: Bool,
        storage: OffsetStorage,
        paused: PausedPartitions,
        report: @escaping @Sendable (KafkaError) -> Void
    ) {
        self.paused = paused
        self.native = native
        self.gate = gate
        self.lifecycle = lifecycle
        self.readiness = readiness
        self.storage = storage
        self.report = report
        batch = NativeMessageBatch(onPartitionEOF: onPartitionEOF, readsHeaders: readsHeaders, storesOffsets: storage == .library)
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

    /// Releases the batch once every message in it was returned (storing their offsets); a
    /// batch read ahead waits for the next calls.
    @usableFromInline
    func end() {
        if batch.isDrained { batch.release() }
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
    /// The caller has taken every message already held (``nextBuffered()`` is `nil`).
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
        readEnded()
        if count > 0 && !paused.isEmpty { count = holdBackPaused() }
        if count == 0 {
            if lifecycle.takeWakeup() { throw Self.wakeupError }
            if gate.isClosed { throw .clientClosed("consumer") }
        }
        return count
    }

    /// Reads ahead without waiting, for the async sequence: up to
    /// ``OffsetStorage/readAheadLimit`` messages, returned by ``nextBuffered()``. How many
    /// records and errors it holds, or `nil` if librdkafka had nothing queued. The caller
    /// has taken every message already held.
    @usableFromInline
    func readAhead() -> Int? {
        batch.release()
        var count = batch.read(from: native, timeoutMilliseconds: 0, limit: storage.readAheadLimit)
        readEnded()
        if count > 0 && !paused.isEmpty { count = holdBackPaused() }
        return count == 0 && !batch.tookAny ? nil : count
    }

    private func readEnded() {
        generation.add(1, ordering: .releasing)
        if hasDroppedPositions.load(ordering: .relaxed) {
            hasDroppedPositions.store(false, ordering: .relaxed)
            droppedPositions.withLock { $0.removeAll() }
        }
    }

    private let hasDroppedPositions = Atomic<Bool>(false)

    private func noteDropped(_ first: [TopicPartition: Int64]) {
        guard !first.isEmpty else { return }
        droppedPositions.withLock { $0.merge(first) { old, _ in old } }
        hasDroppedPositions.store(true, ordering: .relaxed)
    }

    /// The index in ``batch`` of the next message to return, advancing past it; `nil` when
    /// every message read was returned. Applies the drops requested meanwhile first.
    @inlinable
    func nextBuffered() -> Int? {
        if hasDropRequests { applyDropRequests() }
        return batch.next()
    }

    // MARK: Read-ahead records (any task)

    @usableFromInline
    var hasDropRequests: Bool { hasDrops.load(ordering: .relaxed) }

    /// Stores the offsets of the records returned so far, unless a reader is busy (whose
    /// batch then stores them when drained): before a commit of the stored offsets.
    func storeReturned() {
        guard lifecycle.borrowPoll() else { return }
        batch.storeReturned()
        lifecycle.endBorrow()
    }

    /// Stores what was returned and destroys every held message: before the handle goes.
    /// Only once no reader can be inside (the gate is drained, or the consumer is gone).
    func releaseForClose() {
        // No reader is left, but another task may be borrowing the token for a moment.
        while !lifecycle.borrowPoll() { sched_yield() }
        noteDropped(batch.dropReadAhead { _ in true })
        batch.release()
        lifecycle.endBorrow()
    }

    /// Drops the records read ahead in `scope` (see ``ReadAheadDrops``): at once when no
    /// reader is busy, else by the reader before it returns another record.
    func drop(_ scope: ReadAheadDrops.Scope) {
        let seen = generation.load(ordering: .acquiring)
        if lifecycle.borrowPoll() {
            apply([scope])
            lifecycle.endBorrow()
            return
        }
        drops.withLock { $0.request(scope, generation: seen) }
        hasDrops.store(true, ordering: .releasing)
    }

    /// The offset of the first record read ahead and not yet returned from `partition`:
    /// the consumer's position there. `nil` if none is buffered, or a reader is busy.
    func readAheadPosition(of partition: TopicPartition) -> Int64? {
        if lifecycle.borrowPoll() {
            defer { lifecycle.endBorrow() }
            if let buffered = batch.firstReadAheadOffset(of: partition) { return buffered }
        }
        return droppedPositions.withLock { $0[partition] }
    }

    @usableFromInline
    func applyDropRequests() {
        guard hasDrops.exchange(false, ordering: .acquiring) else { return }
        let current = generation.load(ordering: .acquiring)
        apply(drops.withLock { $0.take(forGeneration: current) })
    }

    /// Only by the holder of the poller token.
    private func apply(_ scopes: [ReadAheadDrops.Scope]) {
        for scope in scopes {
            switch scope {
            case .all:
                noteDropped(batch.dropReadAhead { _ in true })
            case .partitions(let partitions):
                // A seek or an assignment change: librdkafka's position is where it says.
                _ = batch.dropReadAhead { partitions.contains($0) }
            case .paused(let partitions):
                let first = batch.dropReadAhead { partitions.contains($0) }
                noteDropped(first)
                rewind(first, pausingAgain: false)
            }
        }
    }

    /// Drops the records just read of partitions the application paused, which librdkafka
    /// fetched anyway (it can lose a pause, see ``PausedPartitions``); returns how many
    /// records and errors are left.
    private func holdBackPaused() -> Int {
        let partitions = paused.all
        let first = batch.dropReadAhead { partitions.contains($0) }
        if !first.isEmpty { pausedReadsHeldBack.add(1, ordering: .relaxed) }
        noteDropped(first)
        rewind(first, pausingAgain: true)
        return batch.count
    }

    /// Seeks the partitions whose records were dropped back to the first of them: librdkafka
    /// resumes after the last record it handed over, which is past them. With
    /// `pausingAgain`, pauses the ones still paused in librdkafka too, first, so that it
    /// stops fetching them. Both happen while no pause or resume can intervene: a resume
    /// between them would let records after the dropped ones through before the seek.
    private func rewind(_ first: [TopicPartition: Int64], pausingAgain: Bool) {
        guard !first.isEmpty else { return }
        // Admitted like any call, so never on a handle that close destroys meanwhile.
        guard gate.enter() else { return }
        defer { gate.leave() }
        paused.whileUnchanged { current in
            do throws(KafkaError) {
                if pausingAgain {
                    let still = first.keys.filter { current.contains($0) }
                    if !still.isEmpty { try native.pause(still) }
                }
                try native.seek(first.map { TopicPartitionOffset($0.key, offset: $0.value) }, timeout: .seconds(10))
            } catch {
                report(KafkaError(
                    code: error.code,
                    message: "could not rewind paused partitions to their first record not returned; records may be skipped on resume: \(error.message)"
                ))
            }
        }
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
