/// The offsets bounding a partition's log.
public struct Watermarks: Sendable, Hashable {
    /// The earliest offset still stored (records before it were deleted or expired).
    public var low: Int64
    /// The offset the next produced record will get (the log end).
    public var high: Int64

    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }
}
