import Synchronization

/// The outcomes of 1024 consecutive records enqueued for a ``PendingDelivery``: where each
/// record's report writes and its ``PendingDelivery`` reads.
///
/// A chunk lives while any of its `PendingDelivery` values does (each holds a reference) and
/// until every slot claimed from it has been reported (the one reference the slab installed
/// it with, given up when ``didReport(_:)`` counts the last slot).
@usableFromInline
final class PendingDeliveryChunk: @unchecked Sendable {
    // @unchecked: a slot's outcome is written once, before its state becomes `done` (a
    // releasing exchange), and read only after that state was seen (acquiring); the waiting
    // tasks live behind `waiters`' lock.
    // A waiting task reads the outcome itself once resumed, with its own topic.
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

    private static var pending: UInt8 { 0 }
    private static var waitedOn: UInt8 { 1 }
    private static var done: UInt8 { 2 }

    // Per slot: pending, waited on (a task has parked in `waiters`), or done. Inline in the
    // object, so a pipelining loop reads the states of consecutive records from consecutive
    // bytes.
    private let states: InlineArray<1024, Atomic<UInt8>>
    private let outcomes: UnsafeMutablePointer<Outcome>
    // After `states`, a kilobyte away from the object's reference count, which the sender
    // changes for each `PendingDelivery` while reports are being counted.
    private let reported = Atomic<Int>(0)
    private let waiters = Mutex<[Int: [Waiter]]>([:])

    init() {
        states = InlineArray { _ in Atomic(0) }
        outcomes = .allocate(capacity: Self.capacity)
    }

    deinit {
        for index in 0..<Self.capacity where states[index].load(ordering: .relaxed) == Self.done {
            (outcomes + index).deinitialize(count: 1)
        }
        outcomes.deallocate()
    }

    /// Whether slot `index`'s outcome is known.
    @usableFromInline
    func isDone(_ index: Int) -> Bool {
        states[index].load(ordering: .acquiring) == Self.done
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
            // sees the mark takes the lock after the waiter is parked; one that came first
            // leaves `done`, which fails the mark.
            let ready = waiters.withLock { waiters -> Bool in
                let (marked, found) = states[index].compareExchange(
                    expected: Self.pending,
                    desired: Self.waitedOn,
                    ordering: .acquiringAndReleasing
                )
                if !marked, found == Self.done { return true }
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
        let previous = states[index].exchange(Self.done, ordering: .acquiringAndReleasing)
        guard previous == Self.waitedOn else { return }
        let parked = waiters.withLock { $0.removeValue(forKey: index) } ?? []
        for waiter in parked { waiter.resume() }
    }

    /// Counts `count` slots as reported (or never to be); returns whether that makes all of
    /// them, and so the slab's reference is to be given up.
    func didReport(_ count: Int) -> Bool {
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
