import RdKafka
import Testing

/// Producer delivery guarantees under broker faults, on the embedded cluster's fault
/// injection: brokers going down and up, NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT and
/// LEADER_NOT_AVAILABLE on Produce, leader moves and slow brokers (see `ProduceFaultPlan`);
/// NETWORK_EXCEPTION answers separately, since librdkafka does not retry them.
@Suite(
    "Reliability: producer delivery under broker faults",
    .serialized,
    .enabled(if: !TestCluster.isReal, "needs the embedded cluster's fault injection")
)
struct ReliabilityProducerTests {
    static let partitions = 12

    /// Sends `count` records keyed `index % 1009` with value `index`, pipelined, running
    /// one fault step every `count / stepCount` sends, and returns every delivery result
    /// in send order.
    private func produceUnderFaults(
        _ faults: FaultCluster,
        configuration: ProducerConfiguration,
        count: Int
    ) async throws -> [Result<RecordMetadata, KafkaError>] {
        let topic = faults.topic
        // The client must have felt the faults: a downed broker surfaces as a client error.
        let clientErrors = Guarded<Set<KafkaError.Code>>([])
        var configuration = configuration
        configuration.onError = { error in clientErrors.withLock { _ = $0.insert(error.code) } }
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .int32, valueSerializer: .int32)
        let plan = ProduceFaultPlan(cluster: faults.embedded, topic: topic, partitions: Self.partitions)
        let stepEvery = count / ProduceFaultPlan.stepCount
        var pending: [PendingDelivery] = []
        pending.reserveCapacity(count)
        for index in 0..<count {
            if index % stepEvery == 0 {
                try await plan.apply(step: index / stepEvery)
            }
            let value = Int32(index)
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, key: value % 1009, value: value)))
        }
        var results: [Result<RecordMetadata, KafkaError>] = []
        results.reserveCapacity(count)
        for delivery in pending { results.append(await delivery.result) }
        await producer.close()
        let felt = clientErrors.withLock { $0 }
        #expect(felt.contains(.transport) || felt.contains(.allBrokersDown), "the downed brokers were noticed: \(felt)")
        return results
    }

    @Test("idempotent, acks=all: 200 000 records through broker faults, none lost, in send order")
    func idempotentExactlyOnceInOrder() async throws {
        let faults = try FaultCluster(topic: "exactly-once")
        let (cluster, topic) = (faults.cluster, faults.topic)
        let count = 200_000

        let results = try await produceUnderFaults(faults, configuration: faults.tolerantConfiguration(acks: .all, idempotent: true), count: count)

        // Every delivery result is a success, and no two records share a position.
        //
        // A record librdkafka reports with no offset (-1) was acknowledged by inference: a
        // request of its that failed with its storage uncertain, followed by a later request's
        // success, which a broker checking idempotent sequence numbers accepts only once the
        // earlier records are stored. librdkafka 2.0.2's mock checks sequences only for
        // transactional producers, and its leader moves let the new leader take a later batch
        // while the old leader's request is still being failed (NOT_LEADER_FOR_PARTITION, not
        // stored): the inference then reports records the mock never stored. So on the mock:
        // every record with an offset is stored at exactly that offset, in send order; a record
        // acknowledged by inference is either stored in its place in send order or absent.
        var sentByPartition: [Int32: [Int32]] = [:]
        var offsetOf: [Int32: Int64] = [:]
        var inferred = Set<Int32>()
        var positions = Set<Int64>()
        var failures: [KafkaError.Code: Int] = [:]
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let metadata):
                let value = Int32(index)
                sentByPartition[metadata.partition, default: []].append(value)
                if metadata.offset >= 0 {
                    offsetOf[value] = metadata.offset
                    positions.insert(Int64(metadata.partition) << 40 | metadata.offset)
                } else {
                    inferred.insert(value)
                }
            case .failure(let error):
                failures[error.code, default: 0] += 1
            }
        }
        #expect(failures.isEmpty, "every delivery succeeded: \(failures)")
        #expect(positions.count == offsetOf.count, "no two records were reported at the same position")
        #expect(offsetOf.count + inferred.count == count)

        // Each partition holds the records sent to it, in send order. The mock also stores a
        // retry of a batch it already stored when a broker went down before answering (a real
        // broker recognises the sequence number and discards it). Such a repeat is a whole
        // batch stored again: a run that copies, record for record, a run stored before it,
        // no longer than a batch (librdkafka's batch.num.messages, 10 000). Each of the two
        // broker outages can re-store only the one request in flight to a partition's leader
        // (one per connection), so a partition holds at most two such runs. How many records
        // a run holds depends on how far sending ran ahead of the broker, i.e. on machine load.
        let stored = try await readAll(cluster: cluster, topic: topic, partitions: Self.partitions)
        var duplicates = 0
        var missingInferred = 0
        for partition in Int32(0)..<Int32(Self.partitions) {
            let expected = sentByPartition[partition] ?? []
            let actual = stored[partition] ?? []
            var seen = Set<Int32>()
            var firstOccurrences: [Int32] = []
            firstOccurrences.reserveCapacity(actual.count)
            for value in actual where seen.insert(value).inserted { firstOccurrences.append(value) }
            duplicates += actual.count - firstOccurrences.count
            let runs = repeatedRuns(actual)
            #expect(runs.count <= 2 && runs.allSatisfy { $0.copiesEarlierRun && $0.length <= 10_000 }, "partition \(partition): repeats are whole re-stored batches: \(runs)")
            let misplaced = expected.filter { value in
                offsetOf[value].map { $0 >= actual.count || actual[Int($0)] != value } ?? false
            }
            #expect(misplaced.isEmpty, "partition \(partition): \(misplaced.count) records not stored at their reported offset, first \(misplaced.prefix(5))")
            let absent = expected.filter { !seen.contains($0) }
            missingInferred += absent.count
            #expect(absent.allSatisfy { inferred.contains($0) }, "partition \(partition): records with an offset missing: \(absent.filter { !inferred.contains($0) }.prefix(10))")
            // Seen once, under AddressSanitizer: every record stored once, but a block of
            // them after later ones, on one partition. The mock checks no sequence numbers
            // for an idempotent producer (above), so after a leader move it can store a retried
            // earlier batch behind a later one that a broker checking sequences would refuse
            // (OUT_OF_ORDER_SEQUENCE_NUMBER). Kept visible as an intermittent known issue.
            withKnownIssue("the 2.0.2 mock stored a retried batch behind a later one: it checks no idempotent sequence numbers", isIntermittent: true) {
                #expect(
                    firstOccurrences == expected.filter { seen.contains($0) },
                    "partition \(partition): \(firstOccurrences.count) distinct stored, \(expected.count) sent, in send order"
                )
            }
        }
        if duplicates > 0 { print("idempotent run: the mock re-stored \(duplicates) retried records") }
        if !inferred.isEmpty {
            print("idempotent run: \(inferred.count) records acknowledged by inference, \(missingInferred) of them never stored by the mock")
        }
    }

    @Test("acks=1 without idempotence: 200 000 records through the same faults, none lost")
    func acksOneNoLoss() async throws {
        let faults = try FaultCluster(topic: "at-least-once")
        let (cluster, topic) = (faults.cluster, faults.topic)
        let count = 200_000

        let results = try await produceUnderFaults(faults, configuration: faults.tolerantConfiguration(acks: .one, idempotent: false), count: count)
        let failed = results.filter { if case .failure = $0 { true } else { false } }.count
        #expect(failed == 0, "with the default delivery timeout every record is retried until stored")

        let stored = try await readAll(cluster: cluster, topic: topic, partitions: Self.partitions)
        var seen = [Int](repeating: 0, count: count)
        for values in stored.values {
            for value in values { seen[Int(value)] += 1 }
        }
        let lost = seen.indices.filter { seen[$0] == 0 }
        let duplicates = seen.reduce(0) { $0 + max($1 - 1, 0) }
        #expect(lost.isEmpty, "lost \(lost.count) records, first \(lost.prefix(10))")
        // Without idempotence a retried batch the broker had already stored is stored again:
        // duplicates are allowed here, only recorded.
        print("acks=1 without idempotence under faults: \(duplicates) duplicate records of \(count)")
    }

    @Test("all brokers down past the delivery timeout: every record fails typed, none vanish, none hang")
    func deliveryTimeout() async throws {
        let faults = try FaultCluster(topic: "timeout", partitions: 3)
        let (cluster, embedded, topic) = (faults.cluster, faults.embedded, faults.topic)
        var configuration = cluster.producerConfiguration()
        configuration.deliveryTimeout = .seconds(2)
        configuration.properties["reconnect.backoff.max.ms"] = "200"
        configuration.logger.logLevel = .critical
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .int32, valueSerializer: .int32)
        try await producer.send(ProducerRecord(topic: topic, partition: 0, value: -1))

        for broker in 1...3 { try embedded.setBrokerDown(broker) }
        var pending: [PendingDelivery] = []
        for index in Int32(0)..<1_000 {
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, key: index, value: index)))
        }
        let deliveries = pending
        let began = ContinuousClock.now
        // Await every result, but never longer than a deadline well past the delivery timeout.
        let codes = try await withThrowingTaskGroup(of: [KafkaError.Code]?.self) { group in
            group.addTask {
                var codes: [KafkaError.Code] = []
                for delivery in deliveries {
                    switch await delivery.result {
                    case .success: codes.append(.noError)
                    case .failure(let error): codes.append(error.code)
                    }
                }
                return codes
            }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        let outcome = try #require(codes, "every delivery result arrived within 20 s")
        #expect(outcome.count == 1_000)
        #expect(outcome.allSatisfy { [.messageTimedOut, .purgedFromQueue, .purgedInFlight].contains($0) }, "\(Set(outcome.map(\.rawValue)))")
        #expect(ContinuousClock.now - began < .seconds(15))

        // Restored brokers: the producer works again, and none of the failed records was stored.
        for broker in 1...3 { try embedded.setBrokerUp(broker) }
        let metadata: RecordMetadata
        do {
            metadata = try await producer.send(ProducerRecord(topic: topic, partition: 0, value: -2))
        } catch {
            Issue.record("a send after the brokers returned failed: \(error)")
            await producer.close()
            return
        }
        await producer.close()
        let stored = try await readAll(cluster: cluster, topic: topic, partitions: 3)
        #expect(stored[0] == [-1, -2], "only the two records sent while brokers were up are stored")
        #expect(metadata.offset == 1)
        #expect(stored.values.reduce(0) { $0 + $1.count } == 2)
    }

    @Test("a NETWORK_EXCEPTION answer to Produce fails the affected records typed; the rest are stored once, in order")
    func networkExceptionAnswer() async throws {
        let faults = try FaultCluster(topic: "network-exception")
        let (cluster, embedded, topic) = (faults.cluster, faults.embedded, faults.topic)
        let configuration = faults.tolerantConfiguration(acks: .all, idempotent: true)
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .int32, valueSerializer: .int32)
        let count = 20_000
        var pending: [PendingDelivery] = []
        for index in 0..<count {
            if index == count / 4 {
                try embedded.pushRequestErrors(.produce, [.networkException, .networkException, .networkException])
            }
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, key: Int32(index % 1009), value: Int32(index))))
        }
        var sentByPartition: [Int32: [Int32]] = [:]
        var failures: [KafkaError.Code: Int] = [:]
        for (index, delivery) in pending.enumerated() {
            switch await delivery.result {
            case .success(let metadata): sentByPartition[metadata.partition, default: []].append(Int32(index))
            case .failure(let error): failures[error.code, default: 0] += 1
            }
        }
        await producer.close()
        // librdkafka 2.0.2 treats this broker answer as permanent: the batches it answered fail.
        #expect(Set(failures.keys) == [.networkException], "\(failures)")
        let stored = try await readAll(cluster: cluster, topic: topic, partitions: Self.partitions)
        let delivered = sentByPartition.values.reduce(0) { $0 + $1.count }
        #expect(delivered + failures.values.reduce(0, +) == count, "every record has a result")
        for partition in Int32(0)..<Int32(Self.partitions) {
            #expect(stored[partition] ?? [] == sentByPartition[partition] ?? [], "partition \(partition) holds exactly its delivered records, in order")
        }
    }
}

/// Three embedded brokers and a topic replicated on all of them: where the fault tests run.
private struct FaultCluster {
    let cluster: TestCluster
    let embedded: EmbeddedKafkaCluster
    let topic: String

    init(topic prefix: String, partitions: Int = ReliabilityProducerTests.partitions) throws {
        cluster = try TestCluster.make(brokers: 3)
        embedded = try cluster.requireEmbedded()
        topic = try cluster.createTopic(prefix, partitions: partitions, replicationFactor: 3)
    }

    /// A producer configuration that rides out the faults: reconnects to a restored broker
    /// within a second (not librdkafka's 10 s maximum) and keeps the expected fault logs
    /// quiet.
    func tolerantConfiguration(acks: ProducerConfiguration.Acks, idempotent: Bool) -> ProducerConfiguration {
        var configuration = cluster.producerConfiguration(acks: acks)
        configuration.linger = .milliseconds(5)
        configuration.properties["reconnect.backoff.max.ms"] = "1000"
        configuration.logger.logLevel = .critical
        configuration.enableIdempotence = idempotent
        if idempotent {
            // One request in flight per broker connection. librdkafka's default (5) relies on
            // the broker refusing a batch whose predecessor failed (OUT_OF_ORDER_SEQUENCE_NUMBER),
            // and then infers from a later batch's success that a "possibly persisted" earlier
            // one was stored. librdkafka 2.0.2's mock checks sequences only for transactional
            // producers, so with several in flight it can store a later batch after an earlier
            // one failed: reordered, or reported delivered yet never stored — seen under
            // ThreadSanitizer's slower timing. A real broker enforces the order.
            configuration.maxInFlightRequestsPerConnection = 1
        }
        return configuration
    }
}

/// A run of records stored again, found by ``repeatedRuns(_:)``.
struct RepeatedRun: CustomStringConvertible {
    /// Where the run starts, and how many records it holds.
    let index: Int
    let length: Int
    /// Whether it repeats, in order, records stored next to each other before it.
    let copiesEarlierRun: Bool
    var description: String { "\(length) records at \(index)\(copiesEarlierRun ? "" : " (not a copy of an earlier run)")" }
}

/// The maximal runs of records in `stored` (one partition, in offset order) that were stored
/// before: each run continues while its records repeat consecutive earlier records.
func repeatedRuns(_ stored: [Int32]) -> [RepeatedRun] {
    var firstIndex: [Int32: Int] = [:]
    var runs: [RepeatedRun] = []
    var index = 0
    while index < stored.count {
        guard let start = firstIndex[stored[index]] else {
            firstIndex[stored[index]] = index
            index += 1
            continue
        }
        var length = 1
        while index + length < stored.count, firstIndex[stored[index + length]] == start + length { length += 1 }
        // A repeat whose next record is a repeat too, but not the next one of its original run,
        // starts a new run: counted, so scattered repeats show up as many runs.
        runs.append(RepeatedRun(index: index, length: length, copiesEarlierRun: start + length <= index))
        index += length
    }
    return runs
}
