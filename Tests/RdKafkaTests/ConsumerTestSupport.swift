import Foundation
import RdKafka
import Synchronization
import Testing

extension TestCluster {
    /// A consumer configuration for tests: its own group, reading from the start, and the
    /// group timings the embedded broker handles well.
    func consumerConfiguration(group: String? = nil, autoCommit: Bool = false) -> ConsumerConfiguration {
        var configuration = ConsumerConfiguration(
            bootstrapServers: bootstrapServers,
            groupID: group ?? "group-\(UUID().uuidString.prefix(8))",
            autoOffsetReset: .earliest,
            enableAutoCommit: autoCommit
        )
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .milliseconds(500)
        configuration.fetchMaxWait = .milliseconds(50)
        configuration.logger.logLevel = .warning
        // RDKAFKA_TEST_DEBUG=cgrp,fetch (librdkafka's debug contexts) to see what a group did.
        if let contexts = ProcessInfo.processInfo.environment["RDKAFKA_TEST_DEBUG"], !contexts.isEmpty {
            configuration.properties["debug"] = contexts
            configuration.logger.logLevel = .debug
        }
        return configuration
    }

    func stringConsumer(_ configuration: ConsumerConfiguration) throws -> KafkaConsumer<String, String> {
        try KafkaConsumer(configuration: configuration, keyDeserializer: .string, valueDeserializer: .string)
    }

    /// A string consumer (with ``consumerConfiguration(group:autoCommit:)`` unless given one)
    /// assigned partitions 0..<`partitions` of `topic`, without joining the group.
    func assignedConsumer(
        _ topic: String,
        partitions: Int = 1,
        configuration: ConsumerConfiguration? = nil
    ) throws -> KafkaConsumer<String, String> {
        let consumer = try stringConsumer(configuration ?? consumerConfiguration())
        try consumer.assign((0..<partitions).map { TopicPartition(topic: topic, partition: Int32($0)) })
        return consumer
    }

    /// Sends records with raw `values` (no key) to partition 0 of `topic`, in order, e.g. to
    /// hand a consumer bytes its deserializer refuses.
    func produce(topic: String, values: [[UInt8]]) async throws {
        let producer = try KafkaProducer(configuration: producerConfiguration(), keySerializer: .string, valueSerializer: .bytes)
        for value in values {
            _ = try await producer.send(ProducerRecord(topic: topic, partition: 0, value: value))
        }
        await producer.close()
    }

    /// A new topic named after `prefix` holding `count` records from
    /// ``produce(topic:count:partitions:from:)``.
    func topic(withRecords count: Int, partitions: Int = 1, prefix: String = "test") async throws -> String {
        let topic = try createTopic(prefix, partitions: partitions)
        try await produce(topic: topic, count: count, partitions: partitions)
        return topic
    }

    /// Produces `count` string records spread round-robin over `partitions` partitions
    /// (keys `k<i>`, values `v<i>`), and returns their metadata in send order.
    @discardableResult
    func produce(topic: String, count: Int, partitions: Int = 1, from first: Int = 0) async throws -> [RecordMetadata] {
        let producer = try KafkaProducer(configuration: producerConfiguration(), keySerializer: .string, valueSerializer: .string)
        var pending: [PendingDelivery] = []
        for index in first..<(first + count) {
            pending.append(try await producer.enqueue(ProducerRecord(
                topic: topic, partition: Int32(index % partitions), key: "k\(index)", value: "v\(index)"
            )))
        }
        var metadata: [RecordMetadata] = []
        for delivery in pending { metadata.append(try await delivery.metadata) }
        await producer.close()
        return metadata
    }
}

/// Reads `count` records from `consumer` within `timeout`, with the async sequence.
func readRecords<Key: Sendable, Value: Sendable>(
    _ consumer: KafkaConsumer<Key, Value>,
    count: Int,
    timeout: Duration = .seconds(30)
) async throws -> [ConsumerRecord<Key, Value>] {
    try await withThrowingTaskGroup(of: [ConsumerRecord<Key, Value>]?.self) { group in
        group.addTask {
            var records: [ConsumerRecord<Key, Value>] = []
            for try await record in consumer.records {
                records.append(record)
                if records.count == count { break }
            }
            return records
        }
        group.addTask {
            try await Task.sleep(for: TestDeadline.scaled(timeout))
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        guard let records = first else { throw TimeoutError(what: "\(count) records") }
        return records
    }
}

/// Polls `consumer` until `count` records arrived or `timeout` passed.
func pollRecords<Key, Value>(
    _ consumer: KafkaConsumer<Key, Value>,
    count: Int,
    timeout: Duration = .seconds(20)
) throws -> [ConsumerRecord<Key, Value>] {
    var records: [ConsumerRecord<Key, Value>] = []
    let deadline = ContinuousClock.now + TestDeadline.scaled(timeout)
    while records.count < count, ContinuousClock.now < deadline {
        if let record = try consumer.poll(timeout: .milliseconds(100)) { records.append(record) }
    }
    return records
}

/// Starts `poll(timeout:)` on a thread of its own, as an application thread would, and
/// returns once that thread is about to poll. The task's value is the code of the error the
/// poll threw, or `nil` if it returned.
func startBlockingPoll<Key, Value>(
    _ consumer: KafkaConsumer<Key, Value>,
    timeout: Duration
) async throws -> Task<KafkaError.Code?, Never> {
    let started = Guarded(false)
    let outcome = Task {
        await withCheckedContinuation { (continuation: CheckedContinuation<KafkaError.Code?, Never>) in
            Thread.detachNewThread {
                started.withLock { $0 = true }
                do {
                    _ = try consumer.poll(timeout: timeout)
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: (error as? KafkaError)?.code)
                }
            }
        }
    }
    try await eventually(timeout: .seconds(5), "poll started") { started.withLock { $0 } }
    return outcome
}

/// Remembers what a rebalance listener was told, and commits on revocation when asked to.
final class RecordingListener: RebalanceListener {
    struct State {
        var assigned: Set<TopicPartition> = []
        var assignedEvents: [[TopicPartition]] = []
        var revokedEvents: [[TopicPartition]] = []
        /// The size of the assignment each revocation took partitions from.
        var revokedFrom: [Int] = []
        var commitFailures = 0
    }

    let state = Mutex(State())
    let commitOnRevoke: Bool

    init(commitOnRevoke: Bool = false) {
        self.commitOnRevoke = commitOnRevoke
    }

    var assigned: Set<TopicPartition> { state.withLock { $0.assigned } }

    func onPartitionsAssigned(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        state.withLock {
            $0.assigned.formUnion(partitions)
            $0.assignedEvents.append(partitions)
        }
    }

    func onPartitionsRevoked(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        state.withLock {
            $0.revokedFrom.append($0.assigned.count)
            $0.assigned.subtract(partitions)
            $0.revokedEvents.append(partitions)
        }
        if commitOnRevoke {
            do {
                try consumer.commitSync()
            } catch {
                // During an eager rebalance the embedded broker refuses commits with
                // REBALANCE_IN_PROGRESS; the next owner then re-reads (at least once).
                state.withLock { $0.commitFailures += 1 }
                throw error
            }
        }
    }
}

/// A group member reading in its own task, remembering every record it saw.
final class GroupMember: Sendable {
    let consumer: KafkaConsumer<String, String>
    let listener: RecordingListener
    private let seen = Guarded<[ConsumerRecord<String, String>]>([])
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(cluster: TestCluster, configuration: ConsumerConfiguration, topic: String, commitOnRevoke: Bool = true) throws {
        consumer = try cluster.stringConsumer(configuration)
        listener = RecordingListener(commitOnRevoke: commitOnRevoke)
        try consumer.subscribe(topics: [topic], listener: listener)
        let consumer = self.consumer
        task.withLock {
            $0 = Task { [seen] in
                do {
                    for try await record in consumer.records {
                        seen.withLock { $0.append(record) }
                    }
                } catch {
                    Issue.record("member read failed: \(error)")
                }
            }
        }
    }

    var records: [ConsumerRecord<String, String>] { seen.withLock { $0 } }
    var assigned: Set<TopicPartition> { listener.assigned }

    func close() async {
        await consumer.close()
        await task.withLock { $0 }?.value
    }
}

/// The partitions of `topic`, numbered from 0.
func partitions(of topic: String, _ count: Int) -> Set<TopicPartition> {
    Set((0..<count).map { TopicPartition(topic: topic, partition: Int32($0)) })
}
