/// Chooses the partition for records that do not name one.
///
/// The default, ``javaCompatible``, places keyed records exactly where the Java client
/// does (murmur2 of the key bytes, positive, modulo the partition count), so Swift and JVM
/// services writing the same keys agree on placement; records without a key are spread by
/// librdkafka's sticky partitioner, which fills one partition's batch at a time.
public struct Partitioner: Sendable {
    enum Kind: Sendable {
        case builtin(String)
        case custom(@Sendable (UnsafeRawBufferPointer, Int32) -> Int32)
        case record(any RecordPartitioner)
    }

    let kind: Kind

    /// murmur2 for keyed records (as the Java client), sticky for keyless ones.
    public static let javaCompatible = Partitioner(kind: .builtin("murmur2_random"))
    /// murmur2 for every record; keyless records all hash the empty key to one partition.
    public static let murmur2 = Partitioner(kind: .builtin("murmur2"))
    /// CRC32 for keyed records, sticky for keyless ones (librdkafka's own default).
    public static let consistentRandom = Partitioner(kind: .builtin("consistent_random"))
    /// CRC32 for every record.
    public static let consistent = Partitioner(kind: .builtin("consistent"))
    /// FNV-1a for keyed records (as Sarama, the Go client), sticky for keyless ones.
    public static let fnv1aRandom = Partitioner(kind: .builtin("fnv1a_random"))
    /// A random partition for every record.
    public static let random = Partitioner(kind: .builtin("random"))

    /// Your own placement for keyed records: given the serialized key and the topic's
    /// partition count, return a partition in `0..<partitionCount`.
    ///
    /// Records without a key keep librdkafka's sticky placement (librdkafka does not consult
    /// a custom partitioner for them). To place those too, or to see the value, write a
    /// ``RecordPartitioner`` and use `custom(_:)` with it.
    /// It runs on librdkafka's threads or inside `send`, so it must be fast and must not
    /// block. An out-of-range answer fails that record with `unknownPartition`.
    public static func custom(
        _ choose: @escaping @Sendable (_ key: UnsafeRawBufferPointer, _ partitionCount: Int32) -> Int32
    ) -> Partitioner {
        Partitioner(kind: .custom(choose))
    }

    /// Java's `RoundRobinPartitioner`: every record without an explicit partition, keyed or
    /// not, goes to the next partition of its topic in turn (see ``RoundRobinPartitioner``).
    /// Each use of this property is a partitioner with its own turn.
    public static var roundRobin: Partitioner { custom(RoundRobinPartitioner()) }

    /// Your own placement for every record without an explicit partition, keyed or not, seeing
    /// its topic, serialized key and value, and the topic's partitions, as a Java
    /// `Partitioner` does. See ``RecordPartitioner``.
    public static func custom(_ partitioner: some RecordPartitioner) -> Partitioner {
        Partitioner(kind: .record(partitioner))
    }

    var librdkafkaName: String? {
        if case .builtin(let name) = kind { return name }
        return nil
    }

    var customFunction: (@Sendable (UnsafeRawBufferPointer, Int32) -> Int32)? {
        if case .custom(let function) = kind { return function }
        return nil
    }

    var recordPartitioner: (any RecordPartitioner)? {
        if case .record(let partitioner) = kind { return partitioner }
        return nil
    }
}
