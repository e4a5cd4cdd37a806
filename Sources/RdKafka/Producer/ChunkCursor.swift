import Synchronization

/// Where the next slot of a slab comes from: the chunk slots are claimed from and the index
/// of the next one, in one atomic word, so that a send claims a slot with one
/// compare-and-exchange, without a lock.
///
/// The word holds the chunk's address divided by 16 (objects are 16-byte aligned) in the
/// low 52 bits and the index above; 0 before the first claim. The cursor holds no reference
/// of its own: a chunk's one reference, taken when it is installed, belongs to its slots
/// together, and is given up by whoever counts the last of them released.
///
/// A claimer touches a chunk's memory only once it has claimed a slot in it, which keeps the
/// chunk alive; so a chunk freed, or even replaced by another at the same address, between a
/// claimer's load and its exchange is never read: the word alone decides.
struct ChunkCursor<Chunk: SlabChunk>: ~Copyable {
    private let current = Atomic<UInt>(0)
    private let capacity: Int

    init(capacity: Int) {
        // An internal invariant: the capacities are constants of the slabs, not user input.
        precondition(capacity > 0 && capacity < 1 << 11, "chunk capacity must fit in the word's index bits")
        self.capacity = capacity
    }

    /// Claims the next slot, installing a new chunk from `makeChunk` when there is none yet or
    /// the current one is full.
    func claim(_ makeChunk: () -> Chunk) -> (chunk: Unmanaged<Chunk>, index: Int) {
        var word = current.load(ordering: .acquiring)
        while true {
            let index = Self.index(in: word)
            if word != 0, index < capacity {
                let (exchanged, found) = current.compareExchange(
                    expected: word,
                    desired: word + (1 << Self.indexShift),
                    ordering: .acquiringAndReleasing
                )
                if exchanged { return (Self.chunk(in: word), index) }
                word = found
                continue
            }
            let chunk = Unmanaged.passRetained(makeChunk())
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

    /// Counts the current chunk's slots that were never claimed as released: for the slab's
    /// deinit, so the chunk goes once the slots claimed from it have been released.
    func releaseUnclaimed() {
        let word = current.load(ordering: .acquiring)
        let next = Self.index(in: word)
        guard word != 0, next < capacity else { return }
        Self.chunk(in: word).releaseSlots(capacity - next)
    }

    private static var indexShift: UInt { 52 }
    private static var addressMask: UInt { (1 << indexShift) - 1 }

    /// `chunk` and `index` in one word (the index in bits 52 to 62; bit 63 stays clear).
    static func word(for chunk: Unmanaged<Chunk>, index: Int) -> UInt {
        let address = UInt(bitPattern: chunk.toOpaque())
        // Swift objects are 16-byte aligned, and user addresses on the platforms Swift runs
        // on have at most 56 significant bits.
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
