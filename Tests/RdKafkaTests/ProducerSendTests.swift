import Foundation
import RdKafka
import Testing

@Suite("Producer: send modes")
struct ProducerSendTests {
    /// A producer of string values whose `onDeliveryFailure` collects what it is given.
    private static func producerRecordingFailures(
        on cluster: TestCluster
    ) throws -> (KafkaProducer<[UInt8], String>, Guarded<[KafkaError]>) {
        let failures = Guarded<[KafkaError]>([])
        var configuration = cluster.producerConfiguration()
        configuration.onDeliveryFailure = { error in failures.withLock { $0.append(error) } }
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .bytes, valueSerializer: .string)
        return (producer, failures)
    }

    @Test("async send returns the metadata of the stored record, and it reads back")
    func asyncSend() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(partitions: 3, keySerializer: .string, valueSerializer: .string)
        let start = KafkaTimestamp.now.millisecondsSinceEpoch
        var metadata: [RecordMetadata] = []
        for index in 0..<10 {
            let record = ProducerRecord(
                topic: topic, partition: 1, key: "k\(index)", value: "v\(index)",
                timestamp: KafkaTimestamp(millisecondsSinceEpoch: start + Int64(index))
            )
            metadata.append(try await producer.send(record))
        }
        await producer.close()
        #expect(metadata.map(\.offset) == Array(0..<10))
        #expect(metadata.allSatisfy { $0.topic == topic && $0.partition == 1 })

        let records = try RawConsumer.readAll(topic: topic, count: 10, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == (0..<10).map { "v\($0)" })
        #expect(records.map { String(decoding: $0.key ?? [], as: UTF8.self) } == (0..<10).map { "k\($0)" })
        // The create time set on each record is stored as is. (librdkafka 2.0.2's mock
        // answers produce requests with a fixed log-append time, so metadata.timestamp is
        // not compared here.)
        #expect(records.map(\.timestamp) == (0..<10).map { start + Int64($0) })
    }

    @Test("callback send reports each record's metadata once, in per-partition order")
    func callbackSend() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(partitions: 2, keySerializer: .string, valueSerializer: .int64)
        let results = Guarded<[Int64: Result<RecordMetadata, KafkaError>]>([:])
        for index in Int64(0)..<200 {
            try producer.send(ProducerRecord(topic: topic, partition: Int32(index % 2), value: index)) { result in
                results.withLock { $0[index] = result }
            }
        }
        try await eventually("200 delivery callbacks") { results.withLock { $0.count } == 200 }
        await producer.close()
        let delivered = try results.withLock { try $0.mapValues { try $0.get() } }
        for partition in Int32(0)..<2 {
            let offsets = delivered.filter { $0.value.partition == partition }.sorted { $0.key < $1.key }.map(\.value.offset)
            #expect(offsets == Array(0..<100), "partition \(partition) offsets follow send order")
        }
        let records = try RawConsumer.readAll(topic: topic, count: 200, bootstrapServers: cluster.bootstrapServers)
        #expect(Set(records.map { Int64(bigEndian: $0.value!.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }) }) == Set(0..<200))
    }

    @Test("sendAndForget delivers; a failure reaches onDeliveryFailure")
    func sendAndForget() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let (producer, failures) = try Self.producerRecordingFailures(on: cluster)
        for index in 0..<1000 {
            try producer.sendAndForget(ProducerRecord(topic: topic, value: "record-\(index)"))
        }
        try await producer.flush(timeout: .seconds(30))
        #expect(failures.withLock { $0.isEmpty })
        let records = try RawConsumer.readAll(topic: topic, count: 1000, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map { String(decoding: $0.value!, as: UTF8.self) } == (0..<1000).map { "record-\($0)" })

        // A partition that does not exist is refused at once, as a typed error.
        let refusal = #expect(throws: KafkaError.self) {
            try producer.sendAndForget(ProducerRecord(topic: topic, partition: 7, value: "nowhere"))
        }
        #expect(refusal?.code == .unknownPartition)
        #expect(refusal?.partition == 7)

        // A record the broker rejects is reported to the handler, with its topic.
        if let embedded = cluster.embedded {
            try embedded.pushRequestErrors(.produce, [.messageSizeTooLarge])
            try producer.sendAndForget(ProducerRecord(topic: topic, value: "rejected"))
            try await eventually("the failure to reach onDeliveryFailure") { failures.withLock { !$0.isEmpty } }
            let failure = try #require(failures.withLock { $0.first })
            #expect(failure.code == .messageSizeTooLarge)
            #expect(failure.topic == topic)
        }
        await producer.close()
    }

    // Until a producer sends a record with a callback or a waiting task, a delivery report
    // batch without an error is freed without reading its reports: this checks that the
    // first such record, and every one after, is still reported, whether the sending loop
    // serves its reports (pipelined sends) or the report thread does (callbacks).
    @Test("after only sendAndForget, pipelined and callback sends on the same producer are each reported")
    func forgetThenReport() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 2)
        let (producer, failures) = try Self.producerRecordingFailures(on: cluster)
        for index in 0..<2000 {
            try producer.sendAndForget(ProducerRecord(topic: topic, partition: Int32(index % 2), value: "forgotten-\(index)"))
        }
        try await producer.flush(timeout: .seconds(30))

        var pending: [PendingDelivery] = []
        for index in 0..<10_000 {
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, partition: Int32(index % 2), value: "pending-\(index)")))
        }
        let reported = Guarded<[Int32: [Int64]]>([:])
        for index in 0..<300 {
            try producer.send(ProducerRecord(topic: topic, partition: Int32(index % 2), value: "reported-\(index)")) { result in
                if case .success(let metadata) = result {
                    reported.withLock { $0[metadata.partition, default: []].append(metadata.offset) }
                }
            }
        }
        try await producer.flush(timeout: .seconds(30))
        // Checked without awaiting, so a report that went missing fails the test.
        try await eventually("every pending delivery to complete") { pending.allSatisfy(\.isComplete) }

        #expect(failures.withLock { $0.isEmpty })
        // Each partition holds 1000 forgotten records, then 5000 pending, then 150 reported.
        var pendingOffsets: [Int32: [Int64]] = [:]
        for delivery in pending {
            let metadata = try await delivery.metadata
            pendingOffsets[metadata.partition, default: []].append(metadata.offset)
        }
        #expect(pendingOffsets[0] == Array(1000..<6000))
        #expect(pendingOffsets[1] == Array(1000..<6000))
        let offsets = reported.withLock { $0 }
        #expect(offsets[0] == Array(6000..<6150))
        #expect(offsets[1] == Array(6000..<6150))
        await producer.close()
    }

    @Test("100 000 pipelined sends are all acknowledged exactly once")
    func pipelinedSends() async throws {
        let fixture = try TestCluster.makeProducerFixture(partitions: 4, keySerializer: .string, valueSerializer: .int32) { configuration in
            configuration.linger = .milliseconds(5)
        }
        let (topic, producer) = (fixture.topic, fixture.producer)
        var pending: [PendingDelivery] = []
        pending.reserveCapacity(100_000)
        for index in Int32(0)..<100_000 {
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, key: "key-\(index % 997)", value: index)))
        }
        var positions = Set<String>()
        var perPartition: [Int32: Int] = [:]
        for delivery in pending {
            let metadata = try await delivery.metadata
            positions.insert("\(metadata.partition)@\(metadata.offset)")
            perPartition[metadata.partition, default: 0] += 1
        }
        #expect(positions.count == 100_000, "no two records share a partition and offset")
        await fixture.close()
        // Each partition's offsets are exactly 0..<count: nothing was written twice.
        for (partition, count) in perPartition {
            let offsets = positions.filter { $0.hasPrefix("\(partition)@") }.map { Int($0.split(separator: "@")[1])! }
            #expect(offsets.max() == count - 1, "partition \(partition) has \(count) records at offsets 0..<\(count)")
        }
    }
}
