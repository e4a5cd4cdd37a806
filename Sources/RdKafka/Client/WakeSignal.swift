import Foundation
import Synchronization

/// Wakes the tasks and threads waiting for something to change: a producer's senders that
/// found librdkafka's queue full (signalled when delivery reports make room), a consumer's
/// readers waiting for records (signalled when its queue becomes readable).
///
/// Every signal bumps a generation number. A waiter reads the generation before trying
/// (to enqueue, to read); if that failed it waits only while the generation is unchanged,
/// so a signal that lands between the failed try and the wait is never missed. Each wait is
/// also capped, as a second line of defence.
final class WakeSignal: Sendable {
    private struct Waiters {
        var nextID = 0
        var continuations: [Int: UnsafeContinuation<Void, Never>] = [:]
    }

    private let generationCounter = Atomic<UInt64>(0)
    private let asyncWaiterCount = Atomic<Int>(0)
    private let blockingWaiterCount = Atomic<Int>(0)
    private let waiters = Locked(Waiters())
    private let condition = NSCondition()

    var generation: UInt64 { generationCounter.load(ordering: .acquiring) }

    /// Wakes every waiter. Costs one atomic add and two loads when nobody waits.
    func signal() {
        generationCounter.add(1, ordering: .sequentiallyConsistent)
        if blockingWaiterCount.load(ordering: .sequentiallyConsistent) > 0 {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
        if asyncWaiterCount.load(ordering: .sequentiallyConsistent) > 0 {
            let woken = waiters.withLock { waiters in
                defer { waiters.continuations.removeAll() }
                return Array(waiters.continuations.values)
            }
            asyncWaiterCount.subtract(woken.count, ordering: .releasing)
            for continuation in woken { continuation.resume() }
        }
    }

    /// Suspends until the next signal after `generation`, or `limit`, whichever is first.
    func wait(after generation: UInt64, limit: Duration) async {
        let id = waiters.withLock { waiters -> Int in
            waiters.nextID += 1
            return waiters.nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withUnsafeContinuation { continuation in
                    let alreadySignalled = self.waiters.withLock { waiters -> Bool in
                        // Count ourselves before looking at the generation (both sequentially
                        // consistent), so that a signal either sees us or we see its bump.
                        self.asyncWaiterCount.add(1, ordering: .sequentiallyConsistent)
                        if self.generationCounter.load(ordering: .sequentiallyConsistent) != generation {
                            self.asyncWaiterCount.subtract(1, ordering: .relaxed)
                            return true
                        }
                        waiters.continuations[id] = continuation
                        return false
                    }
                    if alreadySignalled { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                self.cancelWait(id)
            }
            await group.next()
            group.cancelAll()
            self.cancelWait(id)
        }
    }

    private func cancelWait(_ id: Int) {
        let continuation = waiters.withLock { $0.continuations.removeValue(forKey: id) }
        if let continuation {
            asyncWaiterCount.subtract(1, ordering: .releasing)
            continuation.resume()
        }
    }

    /// Blocks the calling thread until the next signal after `generation`, or `deadline`.
    func waitBlocking(after generation: UInt64, until deadline: ContinuousClock.Instant) {
        blockingWaiterCount.add(1, ordering: .sequentiallyConsistent)
        defer { blockingWaiterCount.subtract(1, ordering: .releasing) }
        condition.lock()
        defer { condition.unlock() }
        while self.generation == generation {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return }
            let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18
            _ = condition.wait(until: Date(timeIntervalSinceNow: min(seconds, 0.1)))
        }
    }
}
