import Synchronization

/// Hands out the ``DeliveryContext`` slots of a producer's records, many to one allocation.
///
/// Why: a record sent with a callback, or awaited by `send(_:)`, needs a small context while
/// it is in flight, up to a hundred thousand records long. Allocated one by one, glibc keeps
/// these small blocks, freed thousands at a time after each batch of reports, in its fast
/// bins, and takes them back one per send, each time loading a link from memory last
/// touched a whole queue of records ago: in a profile of callback sends, that load alone
/// was a fifth of the sending thread's time. Slots come in order from a chunk, so a send
/// only writes to memory it is about to use, and a chunk is freed with one call once all
/// its slots have been released.
///
/// Slots are never reused: a chunk is freed, whole, when the last of its slots is released
/// (and the slab has moved on to another chunk), so a slot's address stays valid for exactly
/// as long as its record is in flight.
final class DeliveryContextSlab: Sendable {
    /// One allocation of slots; frees itself when all of them have been released.
    final class Chunk: SlabChunk, @unchecked Sendable {
        // @unchecked: each slot is written by the sender that took it, then read by whoever
        // completes or releases that record, ordered by librdkafka's queues and the report
        // hand-back; `released` orders the slots' release before the chunk is freed.
        let slots: UnsafeMutablePointer<DeliveryContext>
        private let released = Atomic<Int>(0)

        fileprivate init() {
            slots = .allocate(capacity: DeliveryContextSlab.chunkCapacity)
        }

        deinit { slots.deallocate() }

        /// Counts `count` slots as released (already deinitialized, or never handed out).
        func countReleased(_ count: Int) -> Bool {
            // Acquiring and releasing: whoever frees the chunk sees every other release.
            released.add(count, ordering: .acquiringAndReleasing).newValue == DeliveryContextSlab.chunkCapacity
        }
    }

    /// 32 KiB of 32-byte slots: freed whole, in one call, not long after the records
    /// sent from it.
    static let chunkCapacity = 1024

    /// Where the next slot comes from (see ``ChunkCursor``).
    private let cursor = ChunkCursor<Chunk>(capacity: DeliveryContextSlab.chunkCapacity)

    init() {}

    deinit { cursor.releaseUnclaimed() }

    /// A slot initialized for `target`, as the opaque pointer that travels with the record;
    /// released through ``DeliveryContext/release(_:)``.
    func take(_ target: DeliveryContext.Target) -> UnsafeMutableRawPointer {
        let (chunk, index) = cursor.claim { Chunk() }
        return Self.initialize(slot: index, of: chunk, for: target)
    }

    private static func initialize(
        slot index: Int,
        of chunk: Unmanaged<Chunk>,
        for target: DeliveryContext.Target
    ) -> UnsafeMutableRawPointer {
        let slot = chunk._withUnsafeGuaranteedRef { $0.slots } + index
        slot.initialize(to: DeliveryContext(target, in: chunk))
        return UnsafeMutableRawPointer(slot)
    }
}
