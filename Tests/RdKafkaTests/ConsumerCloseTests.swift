import Foundation
@testable import RdKafka
import Testing

@Suite("Consumer: close that cannot finish in time", .serialized)
struct ConsumerCloseTests {
    @Test("close returns at its deadline while the listener blocks, and the handle is released once the listener returns")
    func closeIsBounded() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 2)
        let errors = Guarded<[KafkaError.Code]>([])
        var configuration = cluster.consumerConfiguration()
        configuration.onError = { error in errors.withLock { $0.append(error.code) } }
        let listener = BlockingRevokeListener()
        var consumer: KafkaConsumer<String, String>? = try cluster.stringConsumer(configuration)
        try consumer?.subscribe(topics: [topic], listener: listener)
        try await eventually(timeout: .seconds(45), "partitions assigned") {
            _ = try consumer?.poll(timeout: .milliseconds(100))
            return listener.assignedCount == 2
        }
        weak let native = consumer?.native

        let began = ContinuousClock.now
        await consumer?.close(timeout: .seconds(1))
        let waited = began.duration(to: .now)

        // The listener has not been released, so close cannot have finished: it returned at
        // its deadline, closed, and said so. The upper bound only shows it did not wait for
        // the listener; a loaded machine can delay the deadline's wake-up by seconds.
        #expect(waited >= .seconds(1) && waited < TestDeadline.scaled(.seconds(30)))
        #expect(consumer?.isClosed == true)
        #expect(errors.withLock { $0 } .contains(.timedOut))
        try await eventually(timeout: .seconds(10), "revocation reached the listener") { listener.isRevoking }
        #expect(native?.client.isDestroyed == false)
        #expect(throws: KafkaError.self) { try consumer?.assignment() }

        // Released while its close still runs: the listener holds the last reference, so the
        // consumer's deinit runs on the closing thread, which still owns the handle. The
        // native consumer goes away only once that thread has closed and destroyed it.
        consumer = nil
        listener.release()
        try await eventually(timeout: .seconds(20), "close finished and released the handle") { native == nil }
        #expect(listener.revokedCount == 1)
    }

    @Test("a timeout beyond the clock's range does not trap and waits for the close; a zero timeout still closes; both release the handle once")
    func extremeTimeouts() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        for timeout in [Duration.seconds(Int64.max), .zero] {
            var consumer: KafkaConsumer<String, String>? = try cluster.assignedConsumer(topic)
            weak let native = consumer?.native
            await consumer?.close(timeout: timeout)
            #expect(consumer?.isClosed == true)
            if timeout > .zero { #expect(native?.client.isDestroyed == true) }
            consumer = nil
            try await eventually(timeout: .seconds(20), "handle released") { native == nil }
        }
    }
}

/// Blocks in `onPartitionsRevoked` until the test releases it (or 30 s pass, so a failing
/// test cannot hang the run).
private final class BlockingRevokeListener: RebalanceListener {
    private struct State: Sendable {
        var assigned = 0
        var revoking = false
        var revoked = 0
    }

    private let state = Guarded(State())
    private let released = DispatchSemaphore(value: 0)

    var assignedCount: Int { state.withLock { $0.assigned } }
    var isRevoking: Bool { state.withLock { $0.revoking } }
    var revokedCount: Int { state.withLock { $0.revoked } }

    func release() { released.signal() }

    func onPartitionsAssigned(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        state.withLock { $0.assigned += partitions.count }
    }

    func onPartitionsRevoked(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        state.withLock { $0.revoking = true }
        _ = released.wait(timeout: .now() + 30)
        state.withLock {
            $0.revoking = false
            $0.revoked += 1
        }
    }
}
