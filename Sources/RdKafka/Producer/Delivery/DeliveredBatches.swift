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
/// The report thread pushes; whoever frees takes the whole list at once, so the list needs
/// no lock. A batch keeps its event (and so its records) alive until it is freed, which
/// matters for anything counting records in flight: freeing is what makes room in
/// librdkafka's queue.
final class DeliveredBatches: @unchecked Sendable {
    // @unchecked: a batch's fields are written before it is published by the releasing
    // exchange in `push` and read only after the acquiring exchange in `freeAll`.
    private let head = Atomic<UInt>(0)
    /// Incremented whenever batches are taken, so the report thread can tell whether a
    /// sender has been taking them.
    private let takenCount = Atomic<UInt64>(0)

    /// One handled delivery report event, with the record opaques still to release.
    final class Batch {
        private let event: NativeEvent
        private var opaques: UnsafeMutableBufferPointer<UnsafeMutableRawPointer>
        private var count = 0
        /// The batch pushed before this one, retained by the push that made it the head.
        fileprivate var nextAddress: UInt = 0

        /// - Parameter capacity: at least the number of reports with an opaque to release.
        init(event: NativeEvent, capacity: Int) {
            self.event = event
            self.opaques = .allocate(capacity: max(capacity, 1))
        }

        deinit { opaques.deallocate() }

        /// Keeps a record's opaque for release when the batch is freed.
        func keep(_ opaque: UnsafeMutableRawPointer) {
            // The capacity comes from librdkafka's count of the event's reports, so this
            // only grows should that count ever fall short.
            if count == opaques.count {
                let grown = UnsafeMutableBufferPointer<UnsafeMutableRawPointer>.allocate(capacity: opaques.count * 2)
                _ = grown.initialize(fromContentsOf: opaques)
                opaques.deallocate()
                opaques = grown
            }
            opaques[count] = opaque
            count += 1
        }

        /// Releases the records' slots, then destroys the event, which frees the records.
        /// Once only.
        func free() {
            DeliveryContext.release(UnsafeBufferPointer(rebasing: opaques[..<count]))
            event.destroy()
        }
    }

    var isEmpty: Bool { head.load(ordering: .relaxed) == 0 }

    /// How many times batches were taken so far.
    var generation: UInt64 { takenCount.load(ordering: .relaxed) }

    /// Hands `batch` back for a sender to free.
    func push(_ batch: Batch) {
        let address = UInt(bitPattern: Unmanaged.passRetained(batch).toOpaque())
        var current = head.load(ordering: .relaxed)
        while true {
            batch.nextAddress = current
            let (exchanged, original) = head.compareExchange(expected: current, desired: address, ordering: .releasing)
            if exchanged { return }
            current = original
        }
    }

    /// Frees every batch handed back so far (see ``Batch/free()``).
    ///
    /// - Returns: whether there was anything to free.
    @discardableResult
    func freeAll() -> Bool {
        guard head.load(ordering: .relaxed) != 0 else { return false }
        let address = head.exchange(0, ordering: .acquiring)
        guard address != 0 else { return false }
        takenCount.add(1, ordering: .relaxed)
        var next = address
        while let pointer = UnsafeRawPointer(bitPattern: next) {
            let batch = Unmanaged<Batch>.fromOpaque(pointer).takeRetainedValue()
            next = batch.nextAddress
            batch.free()
        }
        return true
    }
}
