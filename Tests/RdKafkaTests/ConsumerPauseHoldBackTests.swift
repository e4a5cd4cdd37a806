import Foundation
@testable import RdKafka
import Testing

/// librdkafka 2.0.2 can discard a pause without a word (a first assignment's partition
/// paused in `onPartitionsAssigned`, docs/reliability.md), so the read path holds back any
/// record of a partition the application paused, pauses it again and rewinds it. These
/// tests lose the pause on purpose — the library records it, librdkafka is never told — and
/// check each read path returns nothing of that partition until it is resumed, and then
/// every record of it, in order, from the first.
@Suite("Consumer: records of a paused partition are held back whatever librdkafka fetches")
struct ConsumerPauseHoldBackTests {
    enum ReadPath: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case poll, batchPoll, asyncSequence
        var testDescription: String { rawValue }
    }

    @Test("nothing of a paused partition is returned; after resume, all of it from the first record", arguments: ReadPath.allCases)
    func heldBackUntilResumed(path: ReadPath) async throws {
        let cluster = try TestCluster.make()
        let topic = try await cluster.topic(withRecords: 20, partitions: 2)
        let paused = TopicPartition(topic: topic, partition: 0)
        let other = TopicPartition(topic: topic, partition: 1)
        let consumer = try cluster.stringConsumer(cluster.consumerConfiguration())
        // The pause librdkafka lost: the library knows of it, librdkafka fetches anyway.
        consumer.pausedPartitions.note([paused], paused: true)
        try consumer.assign([paused, other])
        let reader = ContinuousReader(consumer, path: path)

        try await eventually(timeout: .seconds(20), "the paused partition's records held back, the other's read") {
            try reader.readSome()
            return consumer.reader.pausedReadsHeldBack.load(ordering: .relaxed) > 0
                && reader.records.filter { $0.partition == 1 }.count == 10
        }
        #expect(reader.records.allSatisfy { $0.partition == 1 }, "read \(reader.records.filter { $0.partition == 0 }.map(\.offset)) while paused")
        #expect(try consumer.paused() == [paused])

        try consumer.resume([paused])
        try await eventually(timeout: .seconds(20), "every record read after resume") {
            try reader.readSome()
            return reader.records.count >= 20
        }
        #expect(reader.records.filter { $0.partition == 0 }.map(\.offset) == Array(0..<10))
        #expect(reader.records.filter { $0.partition == 1 }.map(\.offset) == Array(0..<10))
        try await reader.finish()
        await consumer.close()
    }
}

/// Reads from `consumer` along one read path, a little at a time, collecting the records.
private final class ContinuousReader: @unchecked Sendable {
    // @unchecked: `collected` is guarded; the consumer is only read from one task at a time.
    private let consumer: KafkaConsumer<String, String>
    private let path: ConsumerPauseHoldBackTests.ReadPath
    private let collected = Guarded([ConsumerRecord<String, String>]())
    private var loop: Task<Void, any Error>?

    init(_ consumer: KafkaConsumer<String, String>, path: ConsumerPauseHoldBackTests.ReadPath) {
        self.consumer = consumer
        self.path = path
        if path == .asyncSequence {
            loop = Task { [consumer, collected] in
                do {
                    for try await record in consumer.records {
                        collected.withLock { $0.append(record) }
                    }
                } catch let error as KafkaError {
                    guard error.code == .wakeup else { throw error }
                }
            }
        }
    }

    var records: [ConsumerRecord<String, String>] { collected.withLock { $0 } }

    /// One read of at most 100 ms (the async sequence reads on its own).
    func readSome() throws {
        switch path {
        case .poll:
            if let record = try consumer.poll(timeout: .milliseconds(100)) { collected.withLock { $0.append(record) } }
        case .batchPoll:
            let records = try consumer.poll(maxRecords: 100, timeout: .milliseconds(100))
            collected.withLock { $0 += records }
        case .asyncSequence:
            break
        }
    }

    /// Stops the async sequence's loop, rethrowing what it threw.
    func finish() async throws {
        guard let loop else { return }
        consumer.wakeup()
        try await loop.value
    }
}
