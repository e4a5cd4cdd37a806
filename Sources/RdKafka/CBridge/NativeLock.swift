import Synchronization

/// A plain mutex for the few places that guard non-`Sendable` C state.
///
/// Swift's `Mutex` is non-copyable and must live inline in its owner; this class lets the
/// C-bridging types (which are classes) share that mutex without exposing its value type.
final class NativeLock: Sendable {
    private let mutex = Mutex(())

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        try mutex.withLock { _ in try body() }
    }
}
