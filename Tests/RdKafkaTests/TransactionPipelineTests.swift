import Foundation
@testable import RdKafka
import Testing

/// The consume-transform-produce pipeline of docs/transactions.md: it reads `input`, writes
/// each value upper-cased to `output`, and commits the offsets it consumed in the same
/// transaction as what it wrote, one transaction per batch.
struct UppercasePipeline {
    let consumer: KafkaConsumer<String, String>
    let producer: KafkaProducer<String, String>
    let output: String
    let batchSize: Int

    static func transform(_ record: ConsumerRecord<String, String>, to output: String) -> ProducerRecord<String, String> {
        ProducerRecord(topic: output, key: record.key, value: record.value.uppercased())
    }

    /// Processes records until every partition in `end` has been read up to its end offset.
    ///
    /// - Parameter crashAfter: after this many committed batches, process one more batch but
    ///   stop before committing it, as a crash would.
    func run(until end: [TopicPartition: Int64], crashAfter committedBatches: Int? = nil) async throws {
        var batch: [ConsumerRecord<String, String>] = []
        var next: [TopicPartition: Int64] = [:]
        var committed = 0
        func reachedEnd() -> Bool { end.allSatisfy { next[$0.key, default: 0] >= $0.value } }

        for try await record in consumer.records {
            batch.append(record)
            next[TopicPartition(topic: record.topic, partition: record.partition)] = record.offset + 1
            guard batch.count == batchSize || reachedEnd() else { continue }
            let current = batch
            batch.removeAll()

            if committedBatches == committed {
                try await producer.beginTransaction()
                for record in current { try await producer.send(Self.transform(record, to: output)) }
                return
            }
            try await producer.withTransaction { tx in
                for record in current {
                    try await tx.send(Self.transform(record, to: output))
                }
                try await tx.sendOffsets(after: current, of: consumer)
            }
            committed += 1
            if reachedEnd() { return }
        }
    }
}

@Suite("Transactions: consume-transform-produce", .serialized)
struct TransactionPipelineTests {
    @Test("a pipeline stopped midway without commit and restarted loses nothing (and, on a real cluster, duplicates nothing)")
    func stopAndRestart() async throws {
        let cluster = try TestCluster.make()
        let input = try cluster.createTopic("pipeline-in", partitions: 2)
        let output = try cluster.createTopic("pipeline-out")
        let inputs = try await cluster.produce(topic: input, count: 20, partitions: 2)
        var end: [TopicPartition: Int64] = [:]
        for metadata in inputs {
            let partition = TopicPartition(topic: input, partition: metadata.partition)
            end[partition] = max(end[partition, default: 0], metadata.offset + 1)
        }
        let group = "pipeline-\(UUID().uuidString.prefix(8))"
        let transactionalID = "pipeline-\(UUID().uuidString.prefix(8))"

        func makePipeline() async throws -> UppercasePipeline {
            var consumerConfiguration = cluster.consumerConfiguration(group: group)
            consumerConfiguration.isolationLevel = .readCommitted
            let consumer = try cluster.stringConsumer(consumerConfiguration)
            try consumer.subscribe(topics: [input])
            var producerConfiguration = cluster.producerConfiguration()
            producerConfiguration.transactionalID = transactionalID
            let producer = try KafkaProducer(configuration: producerConfiguration, keySerializer: .string, valueSerializer: .string)
            try await producer.initTransactions()
            return UppercasePipeline(consumer: consumer, producer: producer, output: output, batchSize: 4)
        }

        // First run: one batch committed, the second sent but not committed (each partition
        // has 10 records, so neither is finished), then stopped.
        let first = try await makePipeline()
        try await first.run(until: end, crashAfter: 1)
        await first.producer.close()     // aborts the open transaction
        await first.consumer.close()

        let second = try await makePipeline()
        try await second.run(until: end)
        await second.producer.close()
        await second.consumer.close()

        // A marker after everything the pipeline wrote, so reading up to it reads it all.
        let marker = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .string)
        try await marker.send(ProducerRecord(topic: output, key: "end", value: "END"))
        await marker.close()

        let expected = (0..<20).map { "V\($0)" }
        if cluster.embedded != nil {
            // The mock stores no transactional offsets (the restart reads the input from the
            // start again) and writes no abort markers (the uncommitted batch is read too):
            // the output is 4 committed + 4 uncommitted + 20 reprocessed records and the
            // marker, and every input is among them.
            let records = try RawConsumer.readAll(topic: output, count: 29, bootstrapServers: cluster.bootstrapServers)
            let values = records.map { String(decoding: $0.value ?? [], as: UTF8.self) }
            #expect(values.last == "END")
            #expect(Set(values.dropLast()) == Set(expected))
        } else {
            // Exactly once: the restart resumed from the offsets committed with the first
            // batch, and the uncommitted batch was aborted.
            let records = try RawConsumer.readAll(topic: output, count: 21, bootstrapServers: cluster.bootstrapServers)
            let values = records.map { String(decoding: $0.value ?? [], as: UTF8.self) }
            #expect(values.last == "END")
            #expect(values.dropLast().sorted() == expected.sorted())
        }
    }

    @Test("the offsets sent after a batch are, per partition, the one after its highest record")
    func nextOffsets() {
        func record(_ topic: String, _ partition: Int32, _ offset: Int64) -> ConsumerRecord<String, String> {
            ConsumerRecord(topic: topic, partition: partition, offset: offset, timestamp: nil, timestampKind: .notAvailable, key: nil, value: "", headers: [])
        }
        let batch = [record("a", 1, 7), record("a", 0, 3), record("a", 1, 8), record("b", 0, 0), record("a", 0, 2)]
        #expect(Transaction<String, String>.nextOffsets(after: batch) == [
            TopicPartitionOffset(topic: "a", partition: 0, offset: 4),
            TopicPartitionOffset(topic: "a", partition: 1, offset: 9),
            TopicPartitionOffset(topic: "b", partition: 0, offset: 1),
        ])
        #expect(Transaction<String, String>.nextOffsets(after: [ConsumerRecord<String, String>]()).isEmpty)
    }
}
