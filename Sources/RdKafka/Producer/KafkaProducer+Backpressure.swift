// What a send does when librdkafka's queue is full: waits, suspended or blocked, for
// delivery reports to make room (see WakeSignal), up to maxBlock.
extension KafkaProducer {
    /// Read before each attempt; see ``WakeSignal``.
    @usableFromInline
    var queueSpaceGeneration: UInt64 { events.queueSpace.generation }

    /// Says how long the send waited, so a queue-full error points at the settings involved.
    @usableFromInline
    func explainQueueFull(_ error: KafkaError) -> KafkaError {
        guard error.code == .queueFull else { return error }
        var explained = error
        let waited = queueFullBehavior == .fail ? "queueFullBehavior is .fail" : "still full after maxBlock (\(maxBlock))"
        explained.message = "the producer's queue is full (\(waited)); raise maxQueuedRecords/maxQueuedKilobytes or send more slowly: \(error.message)"
        return explained
    }

    /// Waits for delivery reports to make room; false once the deadline (fixed now, if not
    /// yet) has passed or the producer closed.
    @usableFromInline
    func waitForRoom(after generation: UInt64, deadline: inout QueueFullDeadline) async -> Bool {
        let end = deadline.fix(waitingAtMost: maxBlock)
        let remaining = ContinuousClock.now.duration(to: end)
        guard remaining > .zero, !gate.isClosed else { return false }
        await events.queueSpace.wait(after: generation, limit: min(remaining, .milliseconds(100)))
        return !gate.isClosed
    }

    @usableFromInline
    func waitForRoomBlocking(after generation: UInt64, deadline: inout QueueFullDeadline) -> Bool {
        let end = deadline.fix(waitingAtMost: maxBlock)
        guard queueFullBehavior == .block, ContinuousClock.now < end, !gate.isClosed else { return false }
        events.queueSpace.waitBlocking(after: generation, until: end)
        return !gate.isClosed
    }
}
