import Synchronization

/// Lets calls into librdkafka in while a client is open, and lets close wait until the calls
/// already inside have left, so the handle is never destroyed under a running call.
///
/// One atomic word holds the whole state: bit 0 is "closed", bits 1-31 count calls inside,
/// and the bits from 32 count the sends among them. Entering and leaving are one atomic add
/// each, so the send path takes no lock; counting sends in the same add lets a producer's
/// report server tell whether a sender will look at the queue (``hasSendersInside``)
/// without an atomic operation of its own per send.
final class ClientGate: Sendable {
    private let word = Atomic<Int>(0)
    private static let call = 2
    private static let send = 1 << 32 | 2

    /// Enters unless the gate is closed. Every successful `enter` must be paired with `leave`.
    func enter() -> Bool { enter(adding: Self.call) }

    func leave() { leave(subtracting: Self.call) }

    /// ``enter()`` for a send, counted in ``hasSendersInside`` until ``leaveSending()``.
    func enterSending() -> Bool { enter(adding: Self.send) }

    /// Leaves after ``enterSending()``; a full fence, which the report hand-over relies on
    /// (see `ReportServer.senderLeft()`).
    func leaveSending() { leave(subtracting: Self.send) }

    // Wrapping: one `lock xadd`, where a checked add is a compare-exchange loop; the counts
    // cannot overflow (they are bounded by the threads inside). Sequentially consistent, as
    // are the report server's looks, so that its `hasSendersInside` and a sender's look at
    // the queue after leaving agree (on x86 the same instruction as any other order).
    private func enter(adding amount: Int) -> Bool {
        let (_, new) = word.wrappingAdd(amount, ordering: .sequentiallyConsistent)
        if new & 1 == 0 { return true }
        leave(subtracting: amount)
        return false
    }

    private func leave(subtracting amount: Int) {
        word.wrappingSubtract(amount, ordering: .sequentiallyConsistent)
    }

    /// Whether a send is inside right now.
    var hasSendersInside: Bool { word.load(ordering: .sequentiallyConsistent) >> 32 != 0 }

    var isClosed: Bool { word.load(ordering: .acquiring) & 1 != 0 }

    /// Closes the gate; returns whether this call closed it (false if it was closed already).
    func close() -> Bool {
        let (old, _) = word.bitwiseOr(1, ordering: .acquiringAndReleasing)
        return old & 1 == 0
    }

    /// Whether no call is inside any more (meaningful once closed).
    var isDrained: Bool { word.load(ordering: .acquiring) & ~1 == 0 }

    /// Waits until the calls inside have left. They are short, non-blocking librdkafka calls,
    /// so a brief yield loop is enough.
    func waitUntilDrained() async {
        while !isDrained {
            try? await Task.sleep(for: .microseconds(200))
        }
    }

    /// The synchronous version, for threads outside Swift concurrency (a consumer's closing
    /// thread). A call inside may wait on the broker (a synchronous commit), so it sleeps
    /// between looks rather than spinning.
    func waitUntilDrainedBlocking() {
        while !isDrained { usleep(200) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
