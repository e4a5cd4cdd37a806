import Synchronization

/// Delivery report events that a producer's report thread has handled, handed back so that
/// a sending thread frees them.
///
/// Why: a record's memory (librdkafka's copy of it, and the chunk holding the slot of its
/// callback or ``PendingDelivery``) is allocated on the sending thread. glibc returns memory
/// freed on another thread to the allocating thread's arena under that arena's lock, which
/// the sender also takes for its allocations once its own cache runs dry: freed on the
/// report thread, every record costs both threads a contended lock. Handed back, the sender
/// frees what it allocated and reuses it at once.
///
/// The handed-back events and the record opaques they still hold are kept in two arrays
/// that keep their capacity, swapped whole with a spare pair by whoever frees: handing back
/// allocates nothing once the arrays have grown to the usual batch, where an object per
/// event (and a buffer for its opaques) cost two allocations per record when each event
/// holds one report, as it does for a record awaited on its own (see
/// docs/performance-history.md). An event keeps its records alive until it is freed, which
/// matters for anything counting records in flight: freeing is what makes room in
/// librdkafka's queue.
final class DeliveredBatches: Sendable {
    /// The events and opaques of one side of the swap.
    private struct Held {
        var events: [NativeEvent] = []
        /// The opaques the events' reports still hold, to release before the events go.
        var opaques: [UnsafeMutableRawPointer] = []
    }

    /// Pushed by the report thread, taken by whoever frees.
    private let pending = Locked(Held())
    /// The freer's side of the swap, empty between frees; only touched with `freeing` held.
    private let spare = Locked(Held())
    /// Held by the one thread freeing at a time; another that finds it held leaves the
    /// batches to it, or to the next free.
    private let freeing = Atomic<Bool>(false)
    private let hasPending = Atomic<Bool>(false)
    /// Incremented whenever batches are taken, so the report thread can tell whether a
    /// sender has been taking them.
    private let takenCount = Atomic<UInt64>(0)

    var isEmpty: Bool { !hasPending.load(ordering: .relaxed) }

    /// How many times batches were taken so far.
    var generation: UInt64 { takenCount.load(ordering: .relaxed) }

    /// Hands `event` back for a sender to free, with the opaques of its reports still to
    /// release (`opaques` is emptied, keeping its capacity for the next event).
    func push(_ event: NativeEvent, opaques: inout [UnsafeMutableRawPointer]) {
        pending.withLock { held in
            held.events.append(event)
            if !opaques.isEmpty { held.opaques.append(contentsOf: opaques) }
            hasPending.store(true, ordering: .relaxed)
        }
        opaques.removeAll(keepingCapacity: true)
    }

    /// Frees every event handed back so far: releases the records' slots, then destroys
    /// the events, which frees the records. Returns at once if another thread is freeing.
    ///
    /// - Returns: whether this call freed anything.
    @discardableResult
    func freeAll() -> Bool {
        guard hasPending.load(ordering: .relaxed) else { return false }
        guard freeing.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { freeing.store(false, ordering: .releasing) }
        return spare.withLock { taken in
            pending.withLock { held in
                swap(&held, &taken)
                hasPending.store(false, ordering: .relaxed)
            }
            guard !taken.events.isEmpty else { return false }
            takenCount.add(1, ordering: .relaxed)
            taken.opaques.withUnsafeBufferPointer { DeliveryContext.release($0) }
            for event in taken.events { event.destroy() }
            taken.events.removeAll(keepingCapacity: true)
            taken.opaques.removeAll(keepingCapacity: true)
            return true
        }
    }
}
