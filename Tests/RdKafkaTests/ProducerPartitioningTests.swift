import RdKafka
import Testing

@Suite("Producer: partitioning")
struct ProducerPartitioningTests {
    @Test("keyed records land where the Java client's murmur2 puts them")
    func javaCompatibleKeys() async throws {
        let cluster = try TestCluster.make()
        let partitionCount = 7
        let topic = try cluster.createTopic(partitions: partitionCount)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .string)
        for index in 0..<300 {
            let key = "customer-\(index)"
            let metadata = try await producer.send(ProducerRecord(topic: topic, key: key, value: "v"))
            #expect(
                metadata.partition == JavaPartitioning.partition(forKey: Array(key.utf8), partitionCount: partitionCount),
                "key \(key)"
            )
        }
        await producer.close()
    }

    @Test("the test's murmur2 matches values published for the Java client")
    func murmur2KnownValues() {
        // Reference values of org.apache.kafka.common.utils.Utils.murmur2.
        #expect(Int32(bitPattern: JavaPartitioning.murmur2(Array("21".utf8))) == -973_932_308)
        #expect(Int32(bitPattern: JavaPartitioning.murmur2(Array("foobar".utf8))) == -790_332_482)
        #expect(Int32(bitPattern: JavaPartitioning.murmur2(Array("a-little-bit-long-string".utf8))) == -985_981_536)
        #expect(Int32(bitPattern: JavaPartitioning.murmur2(Array("a-little-bit-longer-string".utf8))) == -1_486_304_829)
        #expect(Int32(bitPattern: JavaPartitioning.murmur2(Array("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8".utf8))) == -58_897_971)
        #expect(Int32(bitPattern: JavaPartitioning.murmur2(Array("abc".utf8))) == 479_470_107)
    }

    @Test("an explicit partition wins over the key")
    func explicitPartition() async throws {
        let fixture = try TestCluster.makeProducerFixture(partitions: 4)
        let (topic, producer) = (fixture.topic, fixture.producer)
        for partition in Int32(0)..<4 {
            let metadata = try await producer.send(ProducerRecord(topic: topic, partition: partition, key: "same-key", value: "v"))
            #expect(metadata.partition == partition)
        }
        await fixture.close()
    }

    @Test("keyless records use valid partitions (sticky batches)")
    func keylessRecords() async throws {
        let fixture = try TestCluster.makeProducerFixture(partitions: 4)
        let (topic, producer) = (fixture.topic, fixture.producer)
        var partitions = Set<Int32>()
        for _ in 0..<50 {
            partitions.insert(try await producer.send(ProducerRecord(topic: topic, value: "v")).partition)
        }
        #expect(partitions.isSubset(of: Set(0..<4)))
        await fixture.close()
    }

    @Test("a custom Swift partitioner places keyed records, given the key bytes and partition count")
    func customPartitioner() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 5)
        let seen = Guarded<[Int32]>([])
        var configuration = cluster.producerConfiguration()
        configuration.partitioner = .custom { key, partitionCount in
            seen.withLock { $0.append(partitionCount) }
            // The key's length picks the partition.
            return Int32(key.count) % partitionCount
        }
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string)
        #expect(try await producer.send(ProducerRecord(topic: topic, key: "ab", value: "v")).partition == 2)
        #expect(try await producer.send(ProducerRecord(topic: topic, key: "abcdefg", value: "v")).partition == 2)
        #expect(try await producer.send(ProducerRecord(topic: topic, key: "abcd", value: "v")).partition == 4)
        #expect(seen.withLock { $0.allSatisfy { $0 == 5 } && !$0.isEmpty })
        await producer.close()
    }
}
