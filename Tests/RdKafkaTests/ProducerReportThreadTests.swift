import Foundation
import RdKafka
import Synchronization
import Testing

/// Sends serve ready delivery reports themselves, but user code must never run inside a send.
@Suite("Producer: where delivery reports are served")
struct ProducerReportThreadTests {
    private struct Observed {
        var callbackThreads = Set<UInt>()
        var offsetsByPartition: [Int32: [Int64]] = [:]
        var failures = 0
        var acknowledgements = 0
    }

    private final class Observations: Sendable {
        private let state = Mutex(Observed())
        func withLock<R>(_ body: (inout Observed) -> R) -> R { state.withLock { body(&$0) } }
    }

    /// Counts acknowledgements and the threads they run on.
    private struct RecordingInterceptor: ProducerInterceptor {
        let observed: Observations
        func onSend(_ record: ProducerRecord<[UInt8], String>) throws -> ProducerRecord<[UInt8], String> { record }
        func onAcknowledgement(_ result: Result<RecordMetadata, KafkaError>) {
            let thread = UInt(pthread_self())
            observed.withLock { $0.acknowledgements += 1; $0.callbackThreads.insert(thread) }
        }
    }

    /// Sends `count` records from a thread of its own, alternating callback and unreported
    /// sends, and returns that thread's id once every record was accepted.
    private func sendFromOwnThread(
        _ producer: KafkaProducer<[UInt8], String>,
        topic: String,
        count: Int,
        observed: Observations
    ) async throws -> UInt {
        let outcome = Mutex<Result<UInt, KafkaError>?>(nil)
        let thread = Thread {
            let result = Result<UInt, KafkaError> { () throws(KafkaError) in
                for index in 0..<count {
                    let record = ProducerRecord<[UInt8], String>(topic: topic, partition: Int32(index / 2 % 2), value: "record-\(index)")
                    if index % 2 == 0 {
                        try producer.send(record) { result in
                            let thread = UInt(pthread_self())
                            observed.withLock { observed in
                                observed.callbackThreads.insert(thread)
                                if case .success(let metadata) = result {
                                    observed.offsetsByPartition[metadata.partition, default: []].append(metadata.offset)
                                }
                            }
                        }
                    } else {
                        try producer.sendAndForget(record)
                    }
                }
                return UInt(pthread_self())
            }
            outcome.withLock { $0 = result }
        }
        thread.start()
        try await eventually(timeout: .seconds(30), "the sending thread to finish") { outcome.withLock { $0 != nil } }
        return try #require(outcome.withLock { $0 }).get()
    }

    @Test(
        "callbacks, failure handlers and interceptors never run on the sending thread; callbacks keep per-partition order",
        arguments: [false, true]
    )
    func userCodeNeverRunsInsideASend(withInterceptor: Bool) async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 2)
        let observed = Observations()
        var configuration = cluster.producerConfiguration(acks: .one)
        configuration.onDeliveryFailure = { _ in
            let thread = UInt(pthread_self())
            observed.withLock { $0.failures += 1; $0.callbackThreads.insert(thread) }
        }
        let producer = try KafkaProducer(
            configuration: configuration,
            keySerializer: .bytes,
            valueSerializer: .string,
            interceptors: withInterceptor ? [RecordingInterceptor(observed: observed)] : []
        )
        let count = 6_000
        let sender = try await sendFromOwnThread(producer, topic: topic, count: count, observed: observed)
        try await producer.flush(timeout: .seconds(30))

        let seen = observed.withLock { $0 }
        #expect(seen.acknowledgements == (withInterceptor ? count : 0))
        #expect(seen.failures == 0)
        #expect(!seen.callbackThreads.contains(sender), "no user code ran on the sending thread")
        for (partition, offsets) in seen.offsetsByPartition {
            #expect(offsets == offsets.sorted(), "partition \(partition): callbacks in offset order")
        }
        #expect(seen.offsetsByPartition.values.map(\.count).reduce(0, +) == count / 2)
        await producer.close()
    }

    @Test("without user code to run, ready reports are served by senders and every record is reported")
    func sendersServeReports() async throws {
        let failures = Mutex(0)
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(partitions: 2, acks: .one, keySerializer: .bytes, valueSerializer: .string) { configuration in
            configuration.onDeliveryFailure = { _ in failures.withLock { $0 += 1 } }
        }
        // Pipelined and unreported sends only: nothing here needs the report thread.
        var pending: [PendingDelivery] = []
        for index in 0..<20_000 {
            let record = ProducerRecord<[UInt8], String>(topic: topic, value: "record-\(index)")
            if index % 2 == 0 {
                try producer.sendAndForget(record)
            } else {
                pending.append(try await producer.enqueue(record))
            }
        }
        try await producer.flush(timeout: .seconds(30))
        let complete = pending.allSatisfy { $0.isComplete }
        #expect(complete, "flush returned after every report")
        for delivery in pending { _ = try await delivery.metadata }
        #expect(failures.withLock { $0 } == 0)
        #expect(producer.outstandingRecordCount == 0)
        await producer.close()
        let records = try RawConsumer.readAll(topic: topic, count: 20_000, bootstrapServers: cluster.bootstrapServers)
        #expect(records.count == 20_000)
    }

    /// Reports whether the object it watches has been released.
    private final class ReleaseWatch: @unchecked Sendable {
        // @unchecked: a weak reference, which the Swift runtime reads and clears atomically.
        private weak var object: AnyObject?
        init(_ object: AnyObject) { self.object = object }
        var isReleased: Bool { object == nil }
    }

    private final class Captured: Sendable {}

    @Test("a delivery callback, and what it captured, is released soon after it ran, even when no send follows")
    func callbackReleasedWithoutLaterSends() async throws {
        let fixture = try TestCluster.makeProducerFixture(keySerializer: .bytes, valueSerializer: .string)
        let (topic, producer) = (fixture.topic, fixture.producer)
        let delivered = Mutex(0)
        var watches: [ReleaseWatch] = []
        for index in 0..<50 {
            let captured = Captured()
            watches.append(ReleaseWatch(captured))
            try producer.send(ProducerRecord(topic: topic, value: "record-\(index)")) { result in
                withExtendedLifetime(captured) {
                    if case .success = result { delivered.withLock { $0 += 1 } }
                }
            }
        }
        // The reports were handled on the report thread and handed back for a sender to free;
        // with no send coming, the report thread must free them itself.
        let allWatches = watches
        try await eventually(timeout: .seconds(20), "every callback ran and released its captures") {
            delivered.withLock { $0 } == 50 && allWatches.allSatisfy(\.isReleased)
        }
        #expect(producer.outstandingRecordCount == 0)
        await fixture.close()
    }

    /// Holds the only reference to a producer until a delivery callback lets it go.
    private final class Holder: @unchecked Sendable {
        // @unchecked: every access is under `lock`.
        private let lock = NSLock()
        private var producer: KafkaProducer<[UInt8], String>?
        private weak var released: KafkaProducer<[UInt8], String>?
        private var reports = 0

        init(_ producer: KafkaProducer<[UInt8], String>) {
            self.producer = producer
            released = producer
        }

        /// Counts a report; the first one drops the last reference, on the report thread.
        func report() {
            let last = lock.withLock { () -> KafkaProducer<[UInt8], String>? in
                reports += 1
                defer { producer = nil }
                return producer
            }
            _ = last
        }

        var reportCount: Int { lock.withLock { reports } }
        var isDeallocated: Bool { lock.withLock { released == nil } }
    }

    @Test("the last reference released inside a delivery callback tears the producer down, once, without deadlock")
    func lastReferenceReleasedInCallback() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let holder: Holder
        do {
            let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .bytes, valueSerializer: .string)
            holder = Holder(producer)
            for index in 0..<100 {
                try producer.send(ProducerRecord(topic: topic, value: "record-\(index)")) { _ in holder.report() }
            }
        }
        // Every record is reported (delivered, or failed by the teardown's purge), and the
        // producer is gone: its teardown ran off the report thread it would have to join.
        try await eventually("every record reported and the producer released") {
            holder.reportCount == 100 && holder.isDeallocated
        }
    }
}
