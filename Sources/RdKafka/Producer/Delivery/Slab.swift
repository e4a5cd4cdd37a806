import Synchronization

/// Hands out a producer's per-record slots, many to one allocation: the
/// ``DeliveryContextChunk`` slots of records sent with a callback or awaited, and the
/// ``PendingDeliveryChunk`` slots of records enqueued for a ``PendingDelivery``.
///
/// Why chunks: a producer keeps up to a hundred thousand records in flight, each needing a
/// small slot until its report. Allocated one by one, these small blocks are freed
/// thousands at a time after each batch of reports and taken back one per send, each time
/// loading memory last touched a whole queue of records ago (see
/// docs/performance-history.md). Slots come in order from a chunk, so a send only writes to
/// memory it is about to use, and a chunk is freed with one call once all its slots have
/// been released.
///
/// Slots are never reused: a chunk is freed, whole, when the last of its slots is released
/// (and the slab has moved on to another chunk), so a slot's address stays valid for
/// exactly as long as its record is in flight.
///
/// The next slot is named by one atomic word, so a send claims it with one
/// compare-and-exchange, without a lock. The word holds the chunk's address divided by 16
/// (objects are 16-byte aligned) in the low 52 bits and the index above; 0 before the first
/// claim. The slab holds no reference of its own: a chunk's one reference, taken when it is
/// installed, belongs to its slots together, and is given up by whoever counts the last of
/// them released. A claimer touches a chunk's memory only once it has claimed a slot in it,
/// which keeps the chunk alive; so a chunk freed, or even replaced by another at the same
/// address, between a claimer's load and its exchange is never read: the word alone decides.
final class Slab<Chunk: SlabChunk>: Sendable {
    private let current = Atomic<UInt>(0)

    init() {}

    deinit { releaseUnclaimed() }

    /// Claims the next slot, installing a new chunk when there is none yet or the current one
    /// is full.
    func claim() -> (chunk: Unmanaged<Chunk>, index: Int) {
        var word = current.load(ordering: .acquiring)
        while true {
            let index = Self.index(in: word)
            if word != 0, index < Chunk.capacity {
                let (exchanged, found) = current.compareExchange(
                    expected: word,
                    desired: word + (1 << Self.indexShift),
                    ordering: .acquiringAndReleasing
                )
                if exchanged { return (Self.chunk(in: word), index) }
                word = found
                continue
            }
            let chunk = Unmanaged.passRetained(Chunk())
            let (exchanged, found) = current.compareExchange(
                expected: word,
                desired: Self.word(for: chunk, index: 1),
                ordering: .acquiringAndReleasing
            )
            if exchanged { return (chunk, 0) }
            // Another claimer installed one first; this one was never seen.
            chunk.release()
            word = found
        }
    }

    /// Counts the current chunk's slots that were never claimed as released, so the chunk
    /// goes once the slots claimed from it have been released.
    private func releaseUnclaimed() {
        let word = current.load(ordering: .acquiring)
        let next = Self.index(in: word)
        guard word != 0, next < Chunk.capacity else { return }
        Self.chunk(in: word).releaseSlots(Chunk.capacity - next)
    }

    private static var indexShift: UInt { 52 }
    private static var addressMask: UInt { (1 << indexShift) - 1 }

    /// `chunk` and `index` in one word (the index in bits 52 to 62; bit 63 stays clear, which
    /// ``DeliveryOpaque`` relies on).
    static func word(for chunk: Unmanaged<Chunk>, index: Int) -> UInt {
        let address = UInt(bitPattern: chunk.toOpaque())
        // Swift objects are 16-byte aligned, and user addresses on the platforms Swift runs
        // on have at most 56 significant bits; capacities are constants below 2 048.
        precondition(address & 15 == 0 && address >> 56 == 0, "unexpected object address \(address)")
        return address >> 4 | UInt(index) << indexShift
    }

    static func chunk(in word: UInt) -> Unmanaged<Chunk> {
        Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: (word & addressMask) << 4).unsafelyUnwrapped)
    }

    static func index(in word: UInt) -> Int {
        Int(word >> indexShift & 0x7FF)
    }
}
