import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RdKafka
import RdKafkaTestSupport
import Synchronization
import Testing

/// Consumer settings proven by what they do: fetch.wait.max.ms, max.poll.interval.ms and
/// session.timeout.ms.
@Suite("Consumer: settings with an observable effect")
struct ConsumerSettingsTests {
    @Test(
        "fetch.wait.max.ms: on an idle partition a short wait sends many more fetches than a long one",
        .disabled(if: TestCluster.isNoidaDB, "noida-db answers an empty fetch at once instead of holding it for fetch.wait.max.ms (docs/testing.md)")
    )
    func fetchMaxWait() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("idle", partitions: 1)
        func consumer(waiting wait: Duration) throws -> KafkaConsumer<String, String> {
            var configuration = cluster.consumerConfiguration()
            configuration.fetchMaxWait = wait
            configuration.statisticsInterval = .milliseconds(100)
            return try cluster.assignedConsumer(topic, configuration: configuration)
        }
        let eager = try consumer(waiting: .milliseconds(10))
        let patient = try consumer(waiting: .seconds(5))
        func requests(_ consumer: KafkaConsumer<String, String>) -> Int64 {
            consumer.metrics()?.brokers.reduce(0) { $0 + $1.tx } ?? 0
        }
        // Both read the same empty partition for the same time; the broker holds each fetch
        // for up to fetch.wait.max.ms before answering that there is nothing.
        try await eventually(timeout: .seconds(60), "the 10 ms consumer to send ten times the 5 s consumer's requests") {
            let eagerRead = try eager.poll(maxRecords: 10, timeout: .milliseconds(20))
            let patientRead = try patient.poll(maxRecords: 10, timeout: .milliseconds(20))
            #expect(eagerRead.isEmpty && patientRead.isEmpty)
            let (few, many) = (requests(patient), requests(eager))
            return few > 0 && many >= 100 && many >= 10 * few
        }
        // And a record produced meanwhile still reaches the patient consumer: the wait is an
        // upper bound, cut short by data.
        try await cluster.produce(topic: topic, count: 1)
        #expect(try pollRecords(patient, count: 1, timeout: .seconds(30)).map(\.value) == ["v0"])
        await eager.close()
        await patient.close()
    }

    @Test("max.poll.interval: a member that stops polling leaves, its partitions move, its next poll throws maxPollExceeded, then it rejoins")
    func maxPollInterval() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(8, partitions: 4)
        let group = "max-poll-\(UUID().uuidString.prefix(8))"
        let all = partitions(of: topic, 4)
        let reader = try GroupMember(cluster: cluster, configuration: cluster.consumerConfiguration(group: group), topic: topic, commitOnRevoke: false)
        var configuration = cluster.consumerConfiguration(group: group)
        configuration.logger.logLevel = .critical
        // librdkafka requires it at least the session timeout (6 s here).
        configuration.maxPollInterval = .seconds(7)
        let stalled = try cluster.stringConsumer(configuration)
        let listener = RecordingListener()
        try stalled.subscribe(topics: [topic], listener: listener)
        do {
            try await eventually(timeout: .seconds(60), "both members assigned") {
                _ = try stalled.poll(maxRecords: 10, timeout: .milliseconds(100))
                return !listener.assigned.isEmpty && !reader.assigned.isEmpty && listener.assigned.union(reader.assigned) == all
            }
            // No poll from here: after 7 s librdkafka leaves the group for this member.
            try await eventually(timeout: .seconds(60), "the polling member owns every partition") { reader.assigned == all }
            var thrown: KafkaError?
            try await eventually(timeout: .seconds(10), "the stalled member's poll to report it") {
                do {
                    _ = try stalled.poll(maxRecords: 10, timeout: .milliseconds(100))
                    return false
                } catch {
                    thrown = error as? KafkaError
                    return true
                }
            }
            #expect(thrown?.code == .maxPollExceeded, "\(String(describing: thrown))")
            // Polling again rejoins: the group rebalances and it gets partitions back.
            try await eventually(timeout: .seconds(60), "the stalled member to rejoin") {
                _ = try? stalled.poll(maxRecords: 10, timeout: .milliseconds(100))
                return !listener.assigned.isEmpty && listener.assigned.union(reader.assigned) == all && reader.assigned != all
            }
        } catch {
            await stalled.close()
            await reader.close()
            throw error
        }
        await stalled.close()
        await reader.close()
    }

    @Test(
        "session.timeout: a member that stops heartbeating (a killed process) is evicted, and the other member gets its partitions",
        .enabled(if: ChildConsumer.python != nil, "needs RDKAFKA_TEST_PYTHON with confluent-kafka for the member in another process")
    )
    func sessionTimeoutEviction() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(8, partitions: 4)
        let group = "session-\(UUID().uuidString.prefix(8))"
        let all = partitions(of: topic, 4)
        let survivor = try GroupMember(cluster: cluster, configuration: cluster.consumerConfiguration(group: group), topic: topic, commitOnRevoke: false)
        let child = try ChildConsumer.start(bootstrapServers: cluster.bootstrapServers, group: group, topic: topic)
        do {
            try await eventually(timeout: .seconds(60), "the child process and this member to share the partitions") {
                !child.assigned.isEmpty && !survivor.assigned.isEmpty && Set(child.assigned.map { TopicPartition(topic: topic, partition: $0) }).union(survivor.assigned) == all
            }
            let rebalancesBefore = survivor.listener.state.withLock { $0.assignedEvents.count }
            // SIGKILL: no LeaveGroup, no more heartbeats. Only the session timeout (6 s)
            // tells the coordinator the member is gone.
            child.kill()
            try await withKnownBrokerIssue(.sessionTimeoutEviction) {
                try await eventually(timeout: .seconds(30), "the surviving member to own every partition") { survivor.assigned == all }
                #expect(survivor.listener.state.withLock { $0.assignedEvents.count } > rebalancesBefore)
            }
        } catch {
            child.kill()
            await survivor.close()
            throw error
        }
        await survivor.close()
    }
}

/// A consumer group member in a Python process (confluent-kafka), so that it can be killed
/// without leaving its group. It prints `ASSIGNED 0,1` on each assignment and exits by
/// itself after two minutes, so it never outlives a test run for long.
final class ChildConsumer: Sendable {
    static var python: String? {
        guard let path = ProcessInfo.processInfo.environment["RDKAFKA_TEST_PYTHON"], !path.isEmpty else { return nil }
        return path
    }

    private static let script = """
        import sys, time
        from confluent_kafka import Consumer
        servers, group, topic = sys.argv[1:4]
        consumer = Consumer({"bootstrap.servers": servers, "group.id": group, "session.timeout.ms": 6000,
                             "heartbeat.interval.ms": 500, "enable.auto.commit": False, "auto.offset.reset": "earliest"})
        def assigned(consumer, partitions):
            print("ASSIGNED " + ",".join(str(p.partition) for p in partitions), flush=True)
        def revoked(consumer, partitions):
            print("REVOKED", flush=True)
        consumer.subscribe([topic], on_assign=assigned, on_revoke=revoked)
        deadline = time.time() + 120
        while time.time() < deadline:
            consumer.poll(0.1)
        consumer.close()
        """

    private let process: TestProcess
    private let output: Guarded<String>

    static func start(bootstrapServers: [String], group: String, topic: String) throws -> ChildConsumer {
        guard let python else { throw TestSetupError("RDKAFKA_TEST_PYTHON is not set") }
        let process = TestProcess()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, bootstrapServers.joined(separator: ","), group, topic]
        let pipe = Pipe()
        process.standardOutput = pipe
        let output = Guarded("")
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { output.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try process.run()
        return ChildConsumer(process: process, output: output)
    }

    private init(process: TestProcess, output: Guarded<String>) {
        self.process = process
        self.output = output
    }

    /// The partitions of the latest assignment the child printed.
    var assigned: [Int32] {
        let lines = output.withLock { $0.split(separator: "\n") }
        guard let last = lines.last(where: { $0.hasPrefix("ASSIGNED ") || $0 == "REVOKED" }), last != "REVOKED" else { return [] }
        return last.dropFirst("ASSIGNED ".count).split(separator: ",").compactMap { Int32($0) }
    }

    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}
