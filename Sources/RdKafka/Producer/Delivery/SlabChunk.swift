/// A chunk of slots handed out by a ``Slab``: it holds one reference for all its slots
/// together, given up by whoever counts the last of them released.
protocol SlabChunk: AnyObject {
    /// How many slots a chunk has (below 2 048, to fit the slab's word).
    static var capacity: Int { get }
    init()
    /// Counts `count` slots as released (or never to be handed out); returns whether that
    /// makes all of them.
    func countReleased(_ count: Int) -> Bool
}

extension Unmanaged where Instance: SlabChunk {
    /// Counts `count` of the chunk's slots as released, and gives up its slots' reference once
    /// that makes all of them.
    func releaseSlots(_ count: Int) {
        if _withUnsafeGuaranteedRef({ $0.countReleased(count) }) { release() }
    }
}

/// Slot releases told to their chunks once per run of consecutive slots of one chunk, as a
/// batch of delivery reports mostly has them.
struct SlabChunkReleases<Chunk: SlabChunk> {
    private var run: (chunk: Unmanaged<Chunk>, count: Int)?

    /// Counts one released slot of `chunk`.
    mutating func add(_ chunk: Unmanaged<Chunk>) {
        if let current = run, current.chunk.toOpaque() == chunk.toOpaque() {
            run = (chunk, current.count + 1)
            return
        }
        finish()
        run = (chunk, 1)
    }

    /// Tells the current run's chunk; call once after the last ``add(_:)``.
    mutating func finish() {
        if let current = run { current.chunk.releaseSlots(current.count) }
        run = nil
    }
}
