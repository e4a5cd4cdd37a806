import Foundation
import RdKafka
import Synchronization
import Testing

/// How broker errors during a transaction are classified, and what ``KafkaProducer/withTransaction(maxAttempts:timeout:_:)``
/// does with each kind: errors are injected into the embedded cluster.
@Suite("Transactions: error classification")
struct TransactionErrorTests {
    @Test("PRODUCER_FENCED on EndTxn is fatal: commit, later calls and sends all throw it")
    func fencedIsFatal() async throws {
        let fixture = try await TransactionFixture.make(injectingErrors: true)
        let (topic, producer) = (fixture.topic, fixture.producer)
        try await producer.beginTransaction()
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "v"))
        try fixture.injectErrors(.endTransaction, [.producerFenced])

        let commit = await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(commit?.isFatal == true)
        #expect(commit?.requiresTransactionAbort == false)

        let begin = await #expect(throws: KafkaError.self) { try await producer.beginTransaction() }
        #expect(begin?.isFatal == true)
        let send = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, key: "k", value: "after"))
        }
        #expect(send?.isFatal == true)
        await producer.close()
    }

    @Test("withTransaction rethrows a fatal error at once, without retrying")
    func withTransactionFatal() async throws {
        let fixture = try await TransactionFixture.make(injectingErrors: true)
        let (topic, producer) = (fixture.topic, fixture.producer)
        try fixture.injectErrors(.endTransaction, [.producerFenced])
        let attempts = Mutex(0)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.withTransaction(maxAttempts: 3) { tx in
                attempts.withLock { $0 += 1 }
                try await tx.send(ProducerRecord(topic: topic, key: "k", value: "v"))
            }
        }
        #expect(error?.isFatal == true)
        #expect(attempts.withLock { $0 } == 1)
        await producer.close()
    }

    @Test("TOPIC_AUTHORIZATION_FAILED on AddPartitionsToTxn requires an abort; after it the producer goes on")
    func abortableError() async throws {
        let fixture = try await TransactionFixture.make(injectingErrors: true)
        let (topic, producer) = (fixture.topic, fixture.producer)
        try fixture.injectErrors(.addPartitionsToTransaction, [.topicAuthorizationFailed])
        try await producer.beginTransaction()
        let pending = try await producer.enqueue(ProducerRecord(topic: topic, key: "k", value: "denied"))
        let commit = await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(commit?.requiresTransactionAbort == true)
        #expect(commit?.isFatal == false)
        // Until aborted, only abort is allowed.
        let send = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, key: "k", value: "refused"))
        }
        #expect(send?.requiresTransactionAbort == true)
        try await producer.abortTransaction()
        await #expect(throws: KafkaError.self) { try await pending.metadata }

        try await producer.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: topic, key: "k", value: "allowed"))
        }
        await producer.close()
        #expect(try fixture.readValues(count: 1) == ["allowed"])
    }

    @Test("withTransaction aborts on an abortable error and runs the body again, which then commits")
    func withTransactionRetries() async throws {
        let fixture = try await TransactionFixture.make(injectingErrors: true)
        let (topic, producer) = (fixture.topic, fixture.producer)
        try fixture.injectErrors(.addPartitionsToTransaction, [.topicAuthorizationFailed])
        let attempts = Mutex<[Int]>([])
        let committedAttempt = try await producer.withTransaction(maxAttempts: 3) { tx in
            attempts.withLock { $0.append(tx.attempt) }
            for index in 0..<3 {
                try await tx.send(ProducerRecord(topic: topic, key: "k", value: "attempt\(tx.attempt)-\(index)"))
            }
            return tx.attempt
        }
        #expect(committedAttempt == 2)
        #expect(attempts.withLock { $0 } == [1, 2])
        await producer.close()
        // The first attempt's partition was never added to the transaction, so its records
        // were purged before being written: only the second attempt's are stored.
        #expect(try fixture.readValues(count: 3) == ["attempt2-0", "attempt2-1", "attempt2-2"])
    }

    @Test("a send refused because librdkafka already failed the transaction requires an abort, and withTransaction retries")
    func sendAfterInternalAbortableError() async throws {
        let fixture = try await TransactionFixture.make(injectingErrors: true)
        let (topic, producer) = (fixture.topic, fixture.producer)
        try fixture.injectErrors(.addPartitionsToTransaction, [.topicAuthorizationFailed])
        let refusals = Mutex<[any Error]>([])
        let committedAttempt = try await producer.withTransaction(maxAttempts: 2) { tx in
            let first = try await tx.send(ProducerRecord(topic: topic, key: "k", value: "first\(tx.attempt)"))
            if tx.attempt == 1 {
                // The partition cannot be added: librdkafka fails the transaction and purges
                // the record; the body goes on regardless and sends again.
                await #expect(throws: KafkaError.self) { try await first.result.get() }
                do {
                    try await tx.send(ProducerRecord(topic: topic, key: "k", value: "second1"))
                } catch {
                    refusals.withLock { $0.append(error) }
                    throw error
                }
            }
            return tx.attempt
        }
        #expect(committedAttempt == 2)
        let refusal = refusals.withLock { $0.first } as? KafkaError
        #expect(refusal?.requiresTransactionAbort == true)
        await producer.close()
        #expect(try fixture.readValues(count: 1) == ["first2"])
    }

    @Test("withTransaction gives up after maxAttempts, rethrowing the last abortable error")
    func withTransactionBound() async throws {
        let fixture = try await TransactionFixture.make(injectingErrors: true)
        let (topic, producer) = (fixture.topic, fixture.producer)
        try fixture.injectErrors(.addPartitionsToTransaction, [.topicAuthorizationFailed, .topicAuthorizationFailed])
        let attempts = Mutex(0)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.withTransaction(maxAttempts: 2) { tx in
                attempts.withLock { $0 += 1 }
                try await tx.send(ProducerRecord(topic: topic, key: "k", value: "v"))
            }
        }
        #expect(error?.requiresTransactionAbort == true)
        #expect(attempts.withLock { $0 } == 2)
        // The failed transaction was aborted: the producer is ready for the next one.
        try await producer.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: topic, key: "k", value: "next"))
        }
        await producer.close()
        #expect(try fixture.readValues(count: 1) == ["next"])
    }

    @Test("a body that throws aborts the transaction and its error is rethrown unretried")
    func bodyError() async throws {
        struct Invalid: Error {}
        let fixture = try await TransactionFixture.make(injectingErrors: false)
        let (cluster, topic, producer) = (fixture.cluster, fixture.topic, fixture.producer)
        let attempts = Mutex(0)
        let discarded = Mutex<PendingDelivery?>(nil)
        await #expect(throws: Invalid.self) {
            try await producer.withTransaction { tx in
                attempts.withLock { $0 += 1 }
                let pending = try await tx.send(ProducerRecord(topic: topic, key: "k", value: "discarded"))
                discarded.withLock { $0 = pending }
                throw Invalid()
            }
        }
        #expect(attempts.withLock { $0 } == 1)
        let discardedWasWritten = await (try? discarded.withLock { $0 }?.result.get()) != nil
        try await producer.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: topic, key: "k", value: "kept"))
        }
        await producer.close()
        // A real broker hides the aborted record from read_committed readers; the mock
        // writes no abort marker, so there it is read if it was written before the abort.
        let expected = discardedWasWritten && cluster.embedded != nil ? ["discarded", "kept"] : ["kept"]
        #expect(try fixture.readValues(count: expected.count) == expected)
    }

    @Test("close with a transaction open and a broker too slow to answer: the abort and the flush share one timeout, every record is reported")
    func closeBoundedWithOpenTransaction() async throws {
        let fixture = try await TransactionFixture.make(injectingErrors: true)
        let (cluster, topic, producer) = (fixture.cluster, fixture.topic, fixture.producer)
        try await producer.beginTransaction()
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "first"))
        // Every request from now on takes longer than the close may.
        try cluster.requireEmbedded().setRoundTripTime(.seconds(30), broker: 1)
        var pending: [PendingDelivery] = []
        for index in 0..<20 {
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, key: "k", value: "r\(index)")))
        }
        // A flush that cannot finish: when it gives up the records are in flight (sent, their
        // answer delayed), which an abort does not purge.
        await #expect(throws: KafkaError.self) { try await producer.flush(timeout: .milliseconds(300)) }
        // Long enough that what neither deadline bounds (seconds on a loaded machine) stays
        // well under a second `timeout`.
        let timeout = Duration.seconds(10)
        let start = ContinuousClock.now
        await producer.close(timeout: timeout)
        let elapsed = ContinuousClock.now - start
        // Neither the abort nor the flush can finish, so each waits for what it is given:
        // when each had its own `timeout`, close could not return before twice that. Now it
        // takes `timeout` plus what neither bounds (librdkafka's abort returning late, the
        // purged records' reports): 0.3 s alone, up to 3.3 s with the whole suite running.
        #expect(elapsed < timeout * 2, "close took \(elapsed)")
        for delivery in pending {
            #expect(delivery.isComplete, "close reported every record before returning")
            if case .success = await delivery.result { Issue.record("a record of an aborted transaction was delivered") }
        }
    }

    @Test("NOT_COORDINATOR on EndTxn is retried inside librdkafka: the commit succeeds")
    func notCoordinatorRetried() async throws {
        let fixture = try await TransactionFixture.make(injectingErrors: true)
        let (topic, producer) = (fixture.topic, fixture.producer)
        try await producer.beginTransaction()
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "v"))
        try fixture.injectErrors(.endTransaction, [.notCoordinator])
        try await producer.commitTransaction()
        try await producer.withTransaction { tx in
            try await tx.send(ProducerRecord(topic: topic, key: "k", value: "w"))
        }
        await producer.close()
        #expect(try fixture.readValues(count: 2) == ["v", "w"])
    }
}

/// What every test here starts from: a transactional producer, transactions initialised,
/// and a topic of its own.
private struct TransactionFixture {
    let cluster: TestCluster
    let topic: String
    let producer: KafkaProducer<String, String>

    /// - Parameter injectingErrors: the test injects broker errors, so it needs the embedded
    ///   cluster and is skipped on a real one.
    static func make(injectingErrors: Bool) async throws -> TransactionFixture {
        let cluster = try TestCluster.make()
        if injectingErrors { _ = try cluster.requireEmbedded() }
        let topic = try cluster.createTopic("txn")
        let producer = try cluster.transactionalProducer(onError: { _ in })
        try await producer.initTransactions()
        return TransactionFixture(cluster: cluster, topic: topic, producer: producer)
    }

    /// Makes the embedded cluster answer the next requests of `api` with `errors`.
    func injectErrors(_ api: KafkaAPI, _ errors: [KafkaError.Code]) throws {
        try cluster.requireEmbedded().pushRequestErrors(api, errors)
    }

    /// The values of the first `count` records on the topic, read back with raw C.
    func readValues(count: Int) throws -> [String] {
        try RawConsumer.readAll(topic: topic, count: count, bootstrapServers: cluster.bootstrapServers)
            .map(\.valueText)
    }
}
