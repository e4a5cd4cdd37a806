import Foundation
import RdKafka
import Testing

/// A lock-guarded value on `NSLock` (a pthread mutex), which ThreadSanitizer sees:
/// `Synchronization.Mutex` is invisible to it, so state shared with librdkafka's threads
/// (callbacks, commit completions) would be reported as racing under `make check`.
final class Guarded<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// A timeline of broker faults for the produce-under-faults tests, applied between sends
/// so every fault meets records in flight.
///
/// Only faults librdkafka retries are injected. A NETWORK_EXCEPTION *answer* to Produce is
/// a permanent failure in librdkafka 2.0.2 (its default error action), so it is proven
/// separately: the affected records fail typed, nothing vanishes (see
/// `ReliabilityProducerTests.networkExceptionAnswer`). Dropped connections — what a real
/// network exception is — are covered by taking brokers down.
///
/// Fault *durations* (how long a broker stays down) are part of the scenario, not
/// synchronisation: nothing waits on them to observe a result.
struct ProduceFaultPlan {
    let cluster: EmbeddedKafkaCluster
    let topic: String
    let partitions: Int
    /// Steps, each run once when that many records have been sent.
    static let stepCount = 8

    /// Runs step `step` (0..<stepCount).
    func apply(step: Int) async throws {
        let burst: [KafkaError.Code] = [.notLeaderForPartition, .requestTimedOut, .leaderNotAvailable]
        switch step {
        case 0:
            // A slow broker for the first half.
            try cluster.setRoundTripTime(.milliseconds(20), broker: 1)
        case 1:
            try cluster.pushRequestErrors(.produce, burst + burst + burst)
        case 2:
            try cluster.setBrokerDown(2)
            try await Task.sleep(for: .milliseconds(500))
        case 3:
            try cluster.setBrokerUp(2)
        case 4:
            try moveLeaders(by: 1)
        case 5:
            try cluster.pushRequestErrors(.produce, broker: 3, [
                (code: .requestTimedOut, roundTrip: .milliseconds(200)),
                (code: .noError, roundTrip: .milliseconds(300)),
                (code: .notLeaderForPartition, roundTrip: .milliseconds(50)),
            ])
        case 6:
            // No added delay on a broker that goes down: a response the mock has not yet
            // written when its connections drop would be retried, and this mock (2.0.2)
            // only de-duplicates sequence numbers for transactional producers.
            try cluster.setRoundTripTime(.zero, broker: 1)
            try cluster.setBrokerDown(1)
            try await Task.sleep(for: .milliseconds(500))
        case 7:
            try cluster.setBrokerUp(1)
            try cluster.pushRequestErrors(.produce, burst)
            try moveLeaders(by: 2)
        default:
            break
        }
    }

    private func moveLeaders(by shift: Int) throws {
        for partition in 0..<partitions {
            try cluster.setPartitionLeader(topic: topic, partition: partition, broker: (partition + shift) % 3 + 1)
        }
    }
}

/// Every record stored in `topic`'s `partitions` partitions (keys and values `Int32`), by
/// partition in offset order. The stored count comes from the high watermarks, so
/// duplicates are read too; an assigned consumer (no group) reads until it has them all.
func readAll(
    cluster: TestCluster,
    topic: String,
    partitions: Int,
    timeout: Duration = .seconds(60)
) async throws -> [Int32: [Int32]] {
    var configuration = cluster.consumerConfiguration()
    configuration.queuedMinMessages = 1_000_000
    let consumer = try KafkaConsumer(configuration: configuration, keyDeserializer: .int32, valueDeserializer: .int32)
    let assigned = (0..<partitions).map { TopicPartition(topic: topic, partition: Int32($0)) }
    var stored: Int64 = 0
    for partition in assigned {
        stored += try consumer.queryWatermarks(partition).recordCount
    }
    try consumer.assign(assigned)
    var byPartition: [Int32: [Int32]] = [:]
    var received: Int64 = 0
    let deadline = ContinuousClock.now + TestDeadline.scaled(timeout)
    while received < stored, ContinuousClock.now < deadline {
        for record in try consumer.poll(maxRecords: 10_000, timeout: .milliseconds(200)) {
            byPartition[record.partition, default: []].append(record.value)
            received += 1
        }
    }
    await consumer.close()
    #expect(received == stored, "read every stored record back")
    return byPartition
}
