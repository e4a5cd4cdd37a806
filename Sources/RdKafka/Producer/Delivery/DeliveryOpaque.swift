/// What a record's opaque (the pointer that travels through librdkafka with it, and comes
/// back in its delivery report) stands for: encoded when the record is sent, decoded when
/// its report is handled or it is released. The one place that knows the encoding.
///
/// A record sent and forgotten travels with no opaque at all.
enum DeliveryOpaque {
    /// A callback or an awaiting task: the address of its slot.
    case context(UnsafeMutablePointer<DeliveryContext>)
    /// A ``PendingDelivery``: its chunk and index packed in one word (``Slab/word(for:index:)``),
    /// with the top bit set, which no slot address has.
    case pendingDelivery(Unmanaged<PendingDeliveryChunk>, index: Int)

    private static var pendingDeliveryMark: UInt { 1 << 63 }

    @inline(__always)
    init(_ opaque: UnsafeMutableRawPointer) {
        let word = UInt(bitPattern: opaque)
        if word & Self.pendingDeliveryMark != 0 {
            self = .pendingDelivery(Slab<PendingDeliveryChunk>.chunk(in: word), index: Slab<PendingDeliveryChunk>.index(in: word))
        } else {
            self = .context(opaque.assumingMemoryBound(to: DeliveryContext.self))
        }
    }

    @inline(__always)
    var encoded: UnsafeMutableRawPointer {
        switch self {
        case .context(let slot):
            return UnsafeMutableRawPointer(slot)
        case .pendingDelivery(let chunk, let index):
            let word = Slab<PendingDeliveryChunk>.word(for: chunk, index: index) | Self.pendingDeliveryMark
            return UnsafeMutableRawPointer(bitPattern: word).unsafelyUnwrapped
        }
    }
}
