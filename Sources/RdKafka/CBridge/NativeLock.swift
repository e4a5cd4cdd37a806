/// A plain lock for the few places that guard non-`Sendable` C state.
final class NativeLock: Sendable {
    private let locked = Locked(())

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        try locked.withLock { _ in try body() }
    }
}
