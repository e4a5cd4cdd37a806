/// Hands out the slots of a producer's ``PendingDelivery`` values, 1024 to a
/// ``PendingDeliveryChunk``.
///
/// Why: a pipelining loop keeps tens of thousands of records in flight and reads each
/// outcome long after it was written. As one object per record, each was allocated between
/// librdkafka's own per-record allocations (scattering librdkafka's messages, which its
/// broker thread walks), written cold by the report and read cold by the loop. As slots of a
/// chunk, consecutive records' outcomes sit in consecutive memory, and a send allocates
/// nothing.
///
/// A record's slot travels through librdkafka as its opaque, the chunk and index packed in
/// one word (see ``ChunkCursor``) with the top bit set, which no address of a
/// ``DeliveryContext`` slot has.
final class PendingDeliverySlab: Sendable {
    private let cursor = ChunkCursor<PendingDeliveryChunk>(capacity: PendingDeliveryChunk.capacity)

    init() {}

    deinit { cursor.releaseUnclaimed() }

    /// A `PendingDelivery` for a record of `topic`, and the opaque that stands for its slot
    /// until ``DeliveryContext/release(_:)`` after the record's report (or refusal).
    @usableFromInline
    func take(topic: String) -> (PendingDelivery, UnsafeMutableRawPointer) {
        let (chunk, index) = cursor.claim { PendingDeliveryChunk() }
        let opaque = UnsafeMutableRawPointer(bitPattern: ChunkCursor<PendingDeliveryChunk>.word(for: chunk, index: index) | Self.mark)
        // The claimed slot keeps the chunk alive until its report, so the value's own
        // reference can be taken from the unretained one.
        return (PendingDelivery(chunk: chunk.takeUnretainedValue(), index: index, topic: topic), opaque.unsafelyUnwrapped)
    }

    /// The chunk and index `opaque` stands for, if it is a `PendingDelivery` slot.
    static func slot(_ opaque: UnsafeMutableRawPointer) -> (chunk: Unmanaged<PendingDeliveryChunk>, index: Int)? {
        let word = UInt(bitPattern: opaque)
        guard word & mark != 0 else { return nil }
        return (ChunkCursor<PendingDeliveryChunk>.chunk(in: word), ChunkCursor<PendingDeliveryChunk>.index(in: word))
    }

    private static var mark: UInt { 1 << 63 }
}
