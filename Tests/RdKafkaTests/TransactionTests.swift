import Foundation
import RdKafka
import Testing

/// The transactional API on the embedded cluster. librdkafka 2.0.2's mock accepts every
/// transactional request but writes no abort markers, stores no transactional offsets and
/// fences nobody, so these tests check the flow, the state machine and how injected broker
/// errors are classified; what only a real broker shows is in `TransactionVisibilityTests`.
@Suite("Transactions: flow and errors")
struct TransactionTests {
    @Test("init, begin, send, send offsets, commit: the records are stored; a second transaction follows")
    func commitFlow() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("txn", partitions: 2)
        let producer = try cluster.transactionalProducer()
        #expect(producer.isTransactional)
        try await producer.initTransactions()

        try await producer.beginTransaction()
        for index in 0..<5 {
            try await producer.send(ProducerRecord(topic: topic, partition: Int32(index % 2), key: "k", value: "a\(index)"))
        }
        try await producer.sendOffsetsToTransaction(
            [TopicPartitionOffset(topic: topic, partition: 0, offset: 1, metadata: "note")],
            groupMetadata: ConsumerGroupMetadata(groupID: "group-\(UUID().uuidString.prefix(8))")
        )
        try await producer.commitTransaction()

        try await producer.beginTransaction()
        let pending = try await producer.enqueue(ProducerRecord(topic: topic, partition: 0, key: "k", value: "b0"))
        try await producer.commitTransaction()
        // The commit delivered the record first.
        #expect(try await pending.metadata.offset >= 0)
        await producer.close()

        let records = try RawConsumer.readAll(topic: topic, count: 6, bootstrapServers: cluster.bootstrapServers)
        #expect(Set(records.map(\.valueText)) == ["a0", "a1", "a2", "a3", "a4", "b0"])
    }

    @Test("withTransaction commits what the body sent and returns its result")
    func withTransactionCommits() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("txn")
        let producer = try cluster.transactionalProducer()
        try await producer.initTransactions()
        let attempts = try await producer.withTransaction { tx in
            for index in 0..<3 {
                try await tx.send(ProducerRecord(topic: topic, key: "k", value: "v\(index)"))
            }
            return tx.attempt
        }
        #expect(attempts == 1)
        await producer.close()
        let records = try RawConsumer.readAll(topic: topic, count: 3, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map(\.valueText) == ["v0", "v1", "v2"])
    }

    @Test("misuse gives typed errors before librdkafka is called")
    func misuse() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("txn")
        let producer = try cluster.transactionalProducer()
        let record = ProducerRecord(topic: topic, key: "k", value: "v")

        let beforeInit = await #expect(throws: KafkaError.self) { try await producer.send(record) }
        #expect(beforeInit?.code == .state)
        #expect(beforeInit?.message.contains("initTransactions()") == true)
        await #expect(throws: KafkaError.self) { try await producer.beginTransaction() }

        try await producer.initTransactions()
        let initTwice = await #expect(throws: KafkaError.self) { try await producer.initTransactions() }
        #expect(initTwice?.code == .state)

        let outside = await #expect(throws: KafkaError.self) { try await producer.send(record) }
        #expect(outside?.message.contains("only inside a transaction") == true)
        #expect(throws: KafkaError.self) { try producer.sendAndForget(record) }
        let commitWithoutBegin = await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(commitWithoutBegin?.code == .state)
        let abortWithoutBegin = await #expect(throws: KafkaError.self) { try await producer.abortTransaction() }
        #expect(abortWithoutBegin?.code == .state)

        try await producer.beginTransaction()
        let beginTwice = await #expect(throws: KafkaError.self) { try await producer.beginTransaction() }
        #expect(beginTwice?.message.contains("already open") == true)
        let invalidOffsets = await #expect(throws: KafkaError.self) {
            try await producer.sendOffsetsToTransaction(
                [TopicPartitionOffset(topic: topic, partition: -1, offset: 0)],
                groupMetadata: ConsumerGroupMetadata(groupID: "g")
            )
        }
        #expect(invalidOffsets?.code == .invalidArgument)
        try await producer.send(record)
        try await producer.commitTransaction()

        let zeroAttempts = await #expect(throws: KafkaError.self) {
            try await producer.withTransaction(maxAttempts: 0) { _ in }
        }
        #expect(zeroAttempts?.code == .invalidArgument)
        await producer.close()

        let plain = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .string)
        #expect(!plain.isTransactional)
        let notTransactional = await #expect(throws: KafkaError.self) { try await plain.initTransactions() }
        #expect(notTransactional?.code == .notConfigured)
        #expect(notTransactional?.message.contains("transactionalID") == true)
        await #expect(throws: KafkaError.self) { try await plain.withTransaction { _ in } }
        await plain.close()

        let records = try RawConsumer.readAll(topic: topic, count: 1, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map(\.valueText) == ["v"])
    }

    @Test("abort ends the transaction: sends are refused until the next begin")
    func abortFlow() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("txn")
        let producer = try cluster.transactionalProducer()
        try await producer.initTransactions()
        try await producer.beginTransaction()
        let pending = try await producer.enqueue(ProducerRecord(topic: topic, key: "k", value: "aborted"))
        try await producer.abortTransaction()
        // The record was either delivered before the abort (then marked aborted) or purged;
        // either way its outcome is reported.
        let abortedWasWritten = (try? await pending.result.get()) != nil
        let afterAbort = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, key: "k", value: "late"))
        }
        #expect(afterAbort?.code == .state)
        try await producer.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: topic, key: "k", value: "committed"))
        }
        await producer.close()
        // A real broker hides the aborted record from read_committed readers; the mock
        // writes no abort marker, so there it is read if it was written.
        let expected = abortedWasWritten && cluster.embedded != nil ? ["aborted", "committed"] : ["committed"]
        let records = try RawConsumer.readAll(topic: topic, count: expected.count, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map(\.valueText) == expected)
    }

    @Test("closing with an open transaction aborts it and reports every record")
    func closeAborts() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("txn")
        let errors = Guarded<[KafkaError]>([])
        let producer = try cluster.transactionalProducer { error in errors.withLock { $0.append(error) } }
        try await producer.initTransactions()
        try await producer.beginTransaction()
        let pending = try await producer.enqueue(ProducerRecord(topic: topic, key: "k", value: "open"))
        await producer.close(timeout: .seconds(10))
        _ = await pending.result
        #expect(producer.isClosed)
        // The abort succeeded: close reports a failed abort to onError.
        #expect(errors.withLock { $0.filter { $0.message.contains("abort") } }.isEmpty)
        let closed = await #expect(throws: KafkaError.self) { try await producer.beginTransaction() }
        #expect(closed?.code == .clientClosed)
    }

    @Test("close aborts the open transaction: an abort failure injected on EndTxn reaches onError")
    func closeAbortFailureIsReported() async throws {
        let cluster = try TestCluster.make()
        let embedded = try cluster.requireEmbedded()
        let topic = try cluster.createTopic("txn")
        let errors = Guarded<[KafkaError]>([])
        let producer = try cluster.transactionalProducer { error in errors.withLock { $0.append(error) } }
        try await producer.initTransactions()
        try await producer.beginTransaction()
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "open"))
        try embedded.pushRequestErrors(.endTransaction, [.producerFenced])
        await producer.close(timeout: .seconds(10))
        let reported = errors.withLock { $0.first { $0.message.contains("close could not abort") } }
        #expect(reported?.isFatal == true)
    }

    @Test("a second withTransaction while one is open fails with state and leaves the open one alone")
    func oneTransactionAtATime() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("txn")
        let producer = try cluster.transactionalProducer()
        try await producer.initTransactions()
        let (opened, openedContinuation) = AsyncStream<Void>.makeStream()
        let (proceed, proceedContinuation) = AsyncStream<Void>.makeStream()
        async let first: Int = producer.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: topic, key: "k", value: "first"))
            openedContinuation.yield()
            for await _ in proceed { break }
            return tx.attempt
        }
        for await _ in opened { break }
        let second = await #expect(throws: KafkaError.self) {
            try await producer.withTransaction { tx in
                try await tx.send(ProducerRecord(topic: topic, key: "k", value: "second"))
            }
        }
        #expect(second?.code == .state)
        proceedContinuation.yield()
        #expect(try await first == 1)
        await producer.close()
        let records = try RawConsumer.readAll(topic: topic, count: 1, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map(\.valueText) == ["first"])
    }
}
