/// When a send that found librdkafka's queue full stops waiting for room: fixed at its first
/// refusal, ``ProducerConfiguration/maxBlock`` later.
///
/// Held as a `Duration` since a reference instant rather than as a `ContinuousClock.Instant`:
/// the instant's layout is not known to the compiler outside the standard library, so every
/// async send that merely declared one paid a type-metadata lookup and a task allocation,
/// queue full or not.
@usableFromInline
struct QueueFullDeadline {
    private static let reference = ContinuousClock.now
    private var sinceReference: Duration?

    @usableFromInline
    init() {}

    /// The deadline, fixed on the first call `wait` from now. Reading the clock on every send
    /// would cost more than the rest of a fast send's bookkeeping, and the time spent before
    /// the first refusal is one enqueue attempt.
    mutating func fix(waitingAtMost wait: Duration) -> ContinuousClock.Instant {
        if let sinceReference { return Self.reference + sinceReference }
        let fixed = ContinuousClock.now + wait
        sinceReference = Self.reference.duration(to: fixed)
        return fixed
    }
}
