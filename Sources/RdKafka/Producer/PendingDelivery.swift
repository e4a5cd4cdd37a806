import Synchronization

/// A record that librdkafka has accepted and whose delivery can be awaited later.
///
/// Returned by ``KafkaProducer/enqueue(_:)``, it lets one task keep thousands of records in
/// flight and collect their results afterwards:
///
/// ```swift
/// var pending: [PendingDelivery] = []
/// for order in orders {
///     pending.append(try await producer.enqueue(ProducerRecord(topic: "orders", key: order.id, value: order)))
/// }
/// for delivery in pending {
///     let metadata = try await delivery.metadata
/// }
/// ```
///
/// The result is kept, so `metadata` may be read any number of times, from any task.
public final class PendingDelivery: @unchecked Sendable {
    // @unchecked: `topic` is set by the sender before the object is shared; `outcome` is
    // written once, before `isDone` is set, and read only after `isDone` was seen set; the
    // waiters live behind their own lock.
    @usableFromInline
    typealias Waiter = UnsafeContinuation<Result<RecordMetadata, KafkaError>, Never>

    // Most outcomes are read after they are known (a pipelining loop awaits the oldest
    // record), so the outcome is published with one atomic flag and read without a lock.
    // The lock for waiting tasks is created only when a task has to wait: a record then
    // costs one allocation, not three (object, lock object, mutex).
    private let isDone = Atomic<Bool>(false)
    /// The record's topic, set by the sender before the record is handed to librdkafka: the
    /// thread completing the delivery then touches no reference-counted object the sender
    /// also touches (a `String` shared by both would bounce its reference count between
    /// their cores on every record).
    var topic = ""
    private var outcome = Outcome.pending

    private enum Outcome {
        case pending
        case stored(partition: Int32, offset: Int64, timestamp: KafkaTimestamp?, kind: KafkaTimestamp.Kind)
        case failed(KafkaError)
    }
    /// The retained `Locked<[Waiter]>` as an address, once a task waited; else 0.
    private let waitersAddress = Atomic<UInt>(0)

    init() {}

    /// A `PendingDelivery` for a record of `topic` (tests; producers use their pool).
    convenience init(topic: String) {
        self.init()
        self.topic = topic
    }

    deinit {
        if let address = UnsafeRawPointer(bitPattern: waitersAddress.load(ordering: .acquiring)) {
            Unmanaged<Locked<[Waiter]>>.fromOpaque(address).release()
        }
    }

    /// Where the record was stored, once the broker has acknowledged it.
    @inlinable
    public var metadata: RecordMetadata {
        get async throws(KafkaError) {
            // Inlinable with a synchronous fast path: a pipelining loop mostly finds the
            // outcome already known, and then pays for no async call at all.
            if let done = completedResult() { return try done.get() }
            return try await waitForResult().get()
        }
    }

    /// The outcome, as a `Result`, once known.
    @inlinable
    public var result: Result<RecordMetadata, KafkaError> {
        get async {
            if let done = completedResult() { return done }
            return await waitForResult()
        }
    }

    /// The outcome if it is known, without suspending.
    @usableFromInline
    func completedResult() -> Result<RecordMetadata, KafkaError>? {
        isDone.load(ordering: .acquiring) ? knownResult : nil
    }

    /// The outcome as a `Result`; only once `isDone` was seen set.
    private var knownResult: Result<RecordMetadata, KafkaError> {
        switch outcome {
        case .stored(let partition, let offset, let timestamp, let kind):
            return .success(RecordMetadata(topic: topic, partition: partition, offset: offset, timestamp: timestamp, timestampKind: kind))
        case .failed(let error):
            return .failure(error)
        case .pending:
            preconditionFailure("PendingDelivery read before it was complete")
        }
    }

    /// Suspends until ``complete(_:)`` has run (or returns at once if it has).
    @usableFromInline
    func waitForResult() async -> Result<RecordMetadata, KafkaError> {
        await withUnsafeContinuation { continuation in
            // Sequentially consistent with complete(): either it sees this waiter's lock, or
            // this sees its flag (checked under the lock it takes the waiters with).
            let waiters = waitersLock()
            let ready = waiters.withLock { waiters -> Bool in
                if isDone.load(ordering: .sequentiallyConsistent) { return true }
                waiters.append(continuation)
                return false
            }
            if ready { continuation.resume(returning: knownResult) }
        }
    }

    private func waitersLock() -> Locked<[Waiter]> {
        let current = waitersAddress.load(ordering: .sequentiallyConsistent)
        if let address = UnsafeRawPointer(bitPattern: current) {
            return Unmanaged<Locked<[Waiter]>>.fromOpaque(address).takeUnretainedValue()
        }
        let created = Unmanaged.passRetained(Locked<[Waiter]>([]))
        let (exchanged, original) = waitersAddress.compareExchange(
            expected: 0,
            desired: UInt(bitPattern: created.toOpaque()),
            ordering: .sequentiallyConsistent
        )
        if exchanged { return created.takeUnretainedValue() }
        created.release()
        return Unmanaged<Locked<[Waiter]>>.fromOpaque(UnsafeRawPointer(bitPattern: original)!).takeUnretainedValue()
    }

    /// Whether the outcome is known yet.
    public var isComplete: Bool { isDone.load(ordering: .acquiring) }

    /// Records the outcome of the record's delivery report and resumes the tasks waiting for
    /// it; called once.
    func complete(with report: NativeDeliveryReport) {
        if report.succeeded {
            let stored = report.storedAt
            complete(.stored(partition: stored.partition, offset: stored.offset, timestamp: stored.timestamp, kind: stored.kind))
        } else {
            complete(.failed(report.error))
        }
    }

    /// Records `result` (its topic is taken to be the record's) and resumes the waiting tasks.
    func complete(_ result: Result<RecordMetadata, KafkaError>) {
        switch result {
        case .success(let metadata):
            complete(.stored(partition: metadata.partition, offset: metadata.offset, timestamp: metadata.timestamp, kind: metadata.timestampKind))
        case .failure(let error):
            complete(.failed(error))
        }
    }

    private func complete(_ known: Outcome) {
        outcome = known
        isDone.store(true, ordering: .sequentiallyConsistent)
        guard let address = UnsafeRawPointer(bitPattern: waitersAddress.load(ordering: .sequentiallyConsistent)) else { return }
        let waiters = Unmanaged<Locked<[Waiter]>>.fromOpaque(address).takeUnretainedValue().withLock { waiters in
            defer { waiters = [] }
            return waiters
        }
        guard !waiters.isEmpty else { return }
        let result = knownResult
        for waiter in waiters { waiter.resume(returning: result) }
    }
}
