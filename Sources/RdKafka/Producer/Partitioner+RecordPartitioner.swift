/// Chooses the partition of each record that does not name one, seeing what a Java
/// `Partitioner` sees: the topic, the serialized key and value, and the topic's partitions.
///
/// Unlike the key-only `Partitioner.custom { key, partitionCount in … }`, it
/// is asked for records without a key too. librdkafka 2.0.2 never shows its partitioner
/// callback the value, and places keyless records itself (sticky), so the producer asks a
/// record partitioner in Swift, just before handing the serialized record to librdkafka,
/// and passes the answer on as the record's explicit partition.
///
/// ```swift
/// struct ByRegion: RecordPartitioner {
///     func partition(topic: String, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
///                    partitions: [ClusterMetadata.Partition]) throws -> Int32 {
///         // The first byte of the value names the region.
///         let region = value?.first ?? 0
///         return partitions[Int(region) % partitions.count].id
///     }
/// }
/// configuration.partitioner = .custom(ByRegion())
/// ```
///
/// The partitions come from the cluster's metadata, asked for on the first record of each
/// topic and again every five minutes (a send waits for that answer, up to
/// ``ProducerConfiguration/maxBlock``, as a Java send waits for metadata). The method runs
/// on the sending thread: keep it fast and do not block in it.
public protocol RecordPartitioner: Sendable {
    /// The partition for one record: one of `partitions`' ids.
    ///
    /// - Parameters:
    ///   - topic: the record's topic.
    ///   - key: the serialized key, `nil` for a record without a key; valid only during the call.
    ///   - value: the serialized value, `nil` for a null value; valid only during the call.
    ///   - partitions: the topic's partitions by id, never empty, with their leaders
    ///     (`leader` is -1 for a partition without one at the moment).
    /// - Throws: any error, which fails the record, unsent, with a ``KafkaError`` of code
    ///   `invalidRecord`. An id not among `partitions` fails it with `unknownPartition`.
    func partition(
        topic: String,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        partitions: [ClusterMetadata.Partition]
    ) throws -> Int32
}
