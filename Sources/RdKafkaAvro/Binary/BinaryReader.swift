/// Reads Avro's binary primitives from a buffer, every length checked against what is left.
struct BinaryReader {
    private let base: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ base: UnsafeRawBufferPointer) {
        self.base = base
    }

    var isAtEnd: Bool { position == base.count }
    var remaining: Int { base.count - position }
}
