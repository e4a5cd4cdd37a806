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
    final class Chunk: @unchecked Sendable {
        // @unchecked: each slot is written by the sender that took it, then read by whoever
        // completes or releases that record, ordered by librdkafka's queues and the report
        // hand-back; `released` orders the slots' release before the chunk is freed.
        let slots: UnsafeMutablePointer<DeliveryContext>
        private let released = Atomic<Int>(0)

        fileprivate init() {
            slots = .allocate(capacity: DeliveryContextSlab.chunkCapacity)
        }

        deinit { slots.deallocate() }

        /// Counts `count` slots as released (already deinitialized, or never handed out);
        /// returns whether that makes all of them, and so the chunk is to be freed.
        fileprivate func countReleased(_ count: Int) -> Bool {
            // Acquiring and releasing: whoever frees the chunk sees every other release.
            released.add(count, ordering: .acquiringAndReleasing).newValue == DeliveryContextSlab.chunkCapacity
        }
    }

    /// Counts `count` slots of `chunk` as released, and frees it once that makes all of them.
    static func didRelease(_ count: Int, of chunk: Unmanaged<Chunk>) {
        if chunk._withUnsafeGuaranteedRef({ $0.countReleased(count) }) { chunk.release() }
    }

    /// 32 KiB of 32-byte slots: freed whole, in one call, not long after the records
    /// sent from it.
    static let chunkCapacity = 1024

    /// The chunk slots are taken from and the index of the next one, in one word, so that a
    /// send claims a slot with one compare-and-exchange, without a lock: the chunk's address
    /// divided by 16 (objects are 16-byte aligned) in the low 52 bits, the index above.
    /// 0 before the first take. The chunk's one reference belongs to its slots together.
    ///
    /// A taker touches a chunk's memory only once it has claimed a slot in it, which keeps
    /// the chunk alive; so a chunk freed, or even replaced by another at the same address,
    /// between a taker's load and its exchange is never read: the word alone decides.
    private let current = Atomic<UInt>(0)
    private static let indexShift: UInt = 52
    private static let addressMask: UInt = (1 << indexShift) - 1

    init() {}

    deinit {
        // Unused slots of the current chunk count as released, so it is freed once the slots
        // taken from it have been.
        let word = current.load(ordering: .acquiring)
        let next = Int(word >> Self.indexShift)
        if word != 0, next < Self.chunkCapacity {
            Self.didRelease(Self.chunkCapacity - next, of: Self.chunk(in: word))
        }
    }

    /// A slot initialized for `target`, as the opaque pointer that travels with the record;
    /// released through ``DeliveryContext/release(_:)``.
    func take(_ target: DeliveryContext.Target) -> UnsafeMutableRawPointer {
        var word = current.load(ordering: .acquiring)
        while true {
            let index = Int(word >> Self.indexShift)
            if word != 0, index < Self.chunkCapacity {
                let (exchanged, found) = current.compareExchange(
                    expected: word,
                    desired: word + (1 << Self.indexShift),
                    ordering: .acquiringAndReleasing
                )
                if exchanged { return Self.initialize(slot: index, of: Self.chunk(in: word), for: target) }
                word = found
                continue
            }
            // None yet, or full: install a new chunk, taking its first slot.
            let chunk = Unmanaged.passRetained(Chunk())
            let (exchanged, found) = current.compareExchange(
                expected: word,
                desired: Self.word(for: chunk, next: 1),
                ordering: .acquiringAndReleasing
            )
            if exchanged { return Self.initialize(slot: 0, of: chunk, for: target) }
            // Another sender installed one first; this one was never seen.
            chunk.release()
            word = found
        }
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

    private static func word(for chunk: Unmanaged<Chunk>, next: Int) -> UInt {
        let address = UInt(bitPattern: chunk.toOpaque())
        // Swift objects are 16-byte aligned, and user addresses on the platforms Swift runs
        // on have at most 56 significant bits.
        precondition(address & 15 == 0 && address >> 56 == 0, "unexpected object address \(address)")
        return address >> 4 | UInt(next) << indexShift
    }

    private static func chunk(in word: UInt) -> Unmanaged<Chunk> {
        Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: (word & addressMask) << 4).unsafelyUnwrapped)
    }
}
