/// The Java client's murmur2 partitioning, computed independently of librdkafka so tests can
/// check that keyed records land where a JVM producer would put them.
enum JavaPartitioning {
    static func murmur2(_ data: [UInt8]) -> UInt32 {
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        var h = seed ^ UInt32(data.count)
        let whole = data.count / 4
        for index in 0..<whole {
            let base = index * 4
            var k = UInt32(data[base]) | UInt32(data[base + 1]) << 8 | UInt32(data[base + 2]) << 16 | UInt32(data[base + 3]) << 24
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
        }
        let tail = whole * 4
        let remainder = data.count % 4
        if remainder >= 3 { h ^= UInt32(data[tail + 2]) << 16 }
        if remainder >= 2 { h ^= UInt32(data[tail + 1]) << 8 }
        if remainder >= 1 {
            h ^= UInt32(data[tail])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }

    /// `Utils.toPositive(murmur2(key)) % numPartitions`, as Java's default partitioner.
    static func partition(forKey key: [UInt8], partitionCount: Int) -> Int32 {
        Int32((murmur2(key) & 0x7fff_ffff) % UInt32(partitionCount))
    }
}
