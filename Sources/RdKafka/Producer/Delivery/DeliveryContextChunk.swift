import Synchronization

/// One allocation of ``DeliveryContext`` slots, handed out by a ``Slab``; frees itself when
/// all of them have been released.
final class DeliveryContextChunk: SlabChunk, @unchecked Sendable {
    // @unchecked: each slot is written by the sender that took it, then read by whoever
    // completes or releases that record, ordered by librdkafka's queues and the report
    // hand-back; `released` orders the slots' release before the chunk is freed.
    let slots: UnsafeMutablePointer<DeliveryContext>
    private let released = Atomic<Int>(0)

    /// 32-byte slots, freed whole, in one call, not long after the records sent from them.
    static var capacity: Int { 1024 }

    init() {
        slots = .allocate(capacity: Self.capacity)
    }

    deinit { slots.deallocate() }

    /// Counts `count` slots as released (already deinitialized, or never handed out).
    func countReleased(_ count: Int) -> Bool {
        // Acquiring and releasing: whoever frees the chunk sees every other release.
        released.add(count, ordering: .acquiringAndReleasing).newValue == Self.capacity
    }
}

extension Slab where Chunk == DeliveryContextChunk {
    /// A slot initialized for `target`, as the opaque that travels with the record;
    /// released through ``DeliveryContext/release(_:)``.
    func take(_ target: DeliveryContext.Target) -> UnsafeMutableRawPointer {
        let (chunk, index) = claim()
        let slot = chunk._withUnsafeGuaranteedRef { $0.slots } + index
        slot.initialize(to: DeliveryContext(target, in: chunk))
        return DeliveryOpaque.context(slot).encoded
    }
}
