import Foundation
import RdKafka
import Testing

/// What transactions guarantee to readers. librdkafka 2.0.2's embedded cluster writes no
/// abort markers, stores no transactional offsets and fences no one, so these run only
/// against the real cluster in `KAFKA_BOOTSTRAP_SERVERS`.
@Suite(
    "Transactions: visibility on a real cluster",
    .enabled(if: TestCluster.isReal, "needs KAFKA_BOOTSTRAP_SERVERS: the embedded mock cluster writes no transaction markers, does not store offsets sent to a transaction and does not fence producers")
)
struct TransactionVisibilityTests {
    @Test("records of an aborted transaction are invisible to read_committed consumers")
    func abortedInvisible() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("txn-visibility", replicationFactor: 1)
        let producer = try cluster.transactionalProducer()
        try await producer.initTransactions()
        try await producer.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: topic, key: "k", value: "a")).metadata
        }
        try await producer.beginTransaction()
        // Awaited, so the record is in the log before the abort.
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "b"))
        try await producer.abortTransaction()
        try await producer.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: topic, key: "k", value: "c"))
        }
        await producer.close()
        // The raw reader is read_committed (librdkafka's default): "c" comes after "b" in
        // the log, so reading "c" means "b" was skipped.
        let records = try RawConsumer.readAll(topic: topic, count: 2, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map(\.valueText) == ["a", "c"])
    }

    @Test("closing with an open transaction aborts it")
    func closeAbortsOpenTransaction() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("txn-close")
        let first = try cluster.transactionalProducer()
        try await first.initTransactions()
        try await first.beginTransaction()
        try await first.send(ProducerRecord(topic: topic, key: "k", value: "open"))
        await first.close()
        let second = try cluster.transactionalProducer()
        try await second.initTransactions()
        try await second.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: topic, key: "k", value: "after"))
        }
        await second.close()
        let records = try RawConsumer.readAll(topic: topic, count: 1, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map(\.valueText) == ["after"])
    }

    @Test("offsets sent to a transaction are committed with it, and only then")
    func offsetsCommittedWithTransaction() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("txn-offsets")
        let output = try cluster.createTopic("txn-output")
        let group = "txn-group-\(UUID().uuidString.prefix(8))"
        let producer = try cluster.transactionalProducer()
        try await producer.initTransactions()
        try await producer.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: output, key: "k", value: "v"))
            try await tx.sendOffsets([TopicPartitionOffset(topic: topic, partition: 0, offset: 42)], groupMetadata: ConsumerGroupMetadata(groupID: group))
        }
        // The coordinator writes the commit marker to the offsets log after answering EndTxn.
        try await eventually("the transactional offset to be committed") {
            try RawGroupOffsets.committed(group: group, topic: topic, partition: 0, bootstrapServers: cluster.bootstrapServers) == 42
        }

        try await producer.beginTransaction()
        try await producer.sendOffsetsToTransaction([TopicPartitionOffset(topic: topic, partition: 0, offset: 50)], groupMetadata: ConsumerGroupMetadata(groupID: group))
        try await producer.abortTransaction()
        #expect(try RawGroupOffsets.committed(group: group, topic: topic, partition: 0, bootstrapServers: cluster.bootstrapServers) == 42)
        await producer.close()
    }

    @Test("a newer producer with the same transactional id fences the older one, fatally")
    func fencing() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("txn-fencing")
        let transactionalID = "tx-fence-\(UUID().uuidString.prefix(8))"
        let old = try cluster.transactionalProducer(transactionalID: transactionalID)
        try await old.initTransactions()
        let new = try cluster.transactionalProducer(transactionalID: transactionalID)
        try await new.initTransactions()

        let error = await #expect(throws: KafkaError.self) {
            try await old.withTransaction { tx in
                try await tx.send(ProducerRecord(topic: topic, key: "k", value: "zombie"))
            }
        }
        #expect(error?.isFatal == true)
        try await new.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: topic, key: "k", value: "current"))
        }
        await old.close()
        await new.close()
        let records = try RawConsumer.readAll(topic: topic, count: 1, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map(\.valueText) == ["current"])
    }
}
