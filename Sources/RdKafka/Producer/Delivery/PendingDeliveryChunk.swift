import Synchronization

/// The outcomes of 1024 consecutive records enqueued for a ``PendingDelivery``: where each
/// record's report writes and its ``PendingDelivery`` reads.
///
/// A chunk lives while any of its `PendingDelivery` values does (each holds a reference) and
/// until every slot claimed from it has been reported (the one reference the slab installed
/// it with, given up when ``countReleased(_:)`` counts the last slot reported).
@usableFromInline
final class PendingDeliveryChunk: SlabChunk, @unchecked Sendable {
    // @unchecked: a slot's outcome is written once, before its done bit is set (a releasing
    // read-modify-write), and read only after that bit was seen (acquiring); the waiting
    // tasks live behind `waiters`' lock.

    /// A waiting task, which reads the outcome itself once resumed, with its own topic.
    typealias Waiter = UnsafeContinuation<Void, Never>

    static var capacity: Int { 1024 }

    enum Outcome {
        case stored(partition: Int32, offset: Int64, timestamp: KafkaTimestamp?, kind: KafkaTimestamp.Kind)
        case failed(KafkaError)

        /// The outcome of `result` (whose topic is the record's).
        init(_ result: Result<RecordMetadata, KafkaError>) {
            switch result {
            case .success(let metadata):
                self = .stored(partition: metadata.partition, offset: metadata.offset, timestamp: metadata.timestamp, kind: metadata.timestampKind)
            case .failure(let error):
                self = .failed(error)
            }
        }
    }

    // Two bits per slot, 32 slots to a word: done, and waited on (a task has parked in
    // `waiters`). Inline in the object, so a pipelining loop reads consecutive records'
    // states from the same words; and 32 atomics rather than 1024, which the object's
    // initializer and deinitializer each visit one by one.
    private let states: InlineArray<32, Atomic<UInt64>>
    private let outcomes: UnsafeMutablePointer<Outcome>
    // After `states`, away from the object's reference count, which the sender changes for
    // each `PendingDelivery` while reports are being counted.
    private let reported = Atomic<Int>(0)
    /// Whether any outcome is a failure, the only kind that holds a reference to release.
    private let hasFailures = Atomic<Bool>(false)
    private let waiters = Locked<[Int: [Waiter]]>([:])

    init() {
        states = InlineArray { _ in Atomic(0) }
        outcomes = .allocate(capacity: Self.capacity)
    }

    deinit {
        if hasFailures.load(ordering: .relaxed) {
            for index in 0..<Self.capacity where bits(index).done & states[index >> 5].load(ordering: .relaxed) != 0 {
                (outcomes + index).deinitialize(count: 1)
            }
        }
        outcomes.deallocate()
    }

    /// Slot `index`'s done and waited-on bits in its word of `states`.
    private func bits(_ index: Int) -> (done: UInt64, waitedOn: UInt64) {
        let done = UInt64(1) << UInt64((index & 31) << 1)
        return (done, done << 1)
    }

    /// Whether slot `index`'s outcome is known.
    @usableFromInline
    func isDone(_ index: Int) -> Bool {
        states[index >> 5].load(ordering: .acquiring) & bits(index).done != 0
    }

    /// Slot `index`'s outcome for a record of `topic`, if it is known.
    @usableFromInline
    func result(at index: Int, topic: String) -> Result<RecordMetadata, KafkaError>? {
        isDone(index) ? knownResult(at: index, topic: topic) : nil
    }

    /// Suspends until slot `index` is done (or returns at once if it is).
    @usableFromInline
    func waitForResult(at index: Int, topic: String) async -> Result<RecordMetadata, KafkaError> {
        await withUnsafeContinuation { (continuation: Waiter) in
            // Marked waited-on under the lock the waiter is parked with: a completion that
            // sets its done bit after the mark takes the lock after the waiter is parked;
            // one that came first shows in the mark's result.
            let ready = waiters.withLock { waiters -> Bool in
                let (done, waitedOn) = bits(index)
                let before = states[index >> 5].bitwiseOr(waitedOn, ordering: .acquiringAndReleasing).oldValue
                if before & done != 0 { return true }
                waiters[index, default: []].append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
        return knownResult(at: index, topic: topic)
    }

    /// Records slot `index`'s outcome, once, and resumes the tasks waiting for it.
    func complete(_ index: Int, with outcome: Outcome) {
        (outcomes + index).initialize(to: outcome)
        if case .failed = outcome { hasFailures.store(true, ordering: .relaxed) }
        let (done, waitedOn) = bits(index)
        let before = states[index >> 5].bitwiseOr(done, ordering: .acquiringAndReleasing).oldValue
        guard before & waitedOn != 0 else { return }
        let parked = waiters.withLock { $0.removeValue(forKey: index) } ?? []
        for waiter in parked { waiter.resume() }
    }

    /// Counts `count` slots as reported (or never to be).
    func countReleased(_ count: Int) -> Bool {
        // Acquiring and releasing: whoever frees the chunk sees every other slot's writes.
        reported.add(count, ordering: .acquiringAndReleasing).newValue == Self.capacity
    }

    private func knownResult(at index: Int, topic: String) -> Result<RecordMetadata, KafkaError> {
        switch outcomes[index] {
        case .stored(let partition, let offset, let timestamp, let kind):
            return .success(RecordMetadata(topic: topic, partition: partition, offset: offset, timestamp: timestamp, timestampKind: kind))
        case .failed(let error):
            return .failure(error)
        }
    }
}

extension Slab where Chunk == PendingDeliveryChunk {
    /// A `PendingDelivery` for a record of `topic`, and the opaque that stands for its slot
    /// until ``DeliveryContext/release(_:)`` after the record's report (or refusal).
    func take(topic: String) -> (PendingDelivery, UnsafeMutableRawPointer) {
        let (chunk, index) = claim()
        // The claimed slot keeps the chunk alive until its report, so the value's own
        // reference can be taken from the unretained one.
        let pending = PendingDelivery(chunk: chunk.takeUnretainedValue(), index: index, topic: topic)
        return (pending, DeliveryOpaque.pendingDelivery(chunk, index: index).encoded)
    }
}
