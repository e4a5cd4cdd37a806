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

/// A value behind a mutex, for class-held state that is not `Sendable` by itself (such as a
/// weak reference).
final class NativeLockedValue<Value>: @unchecked Sendable {
    // @unchecked: `value` is only reached through `withLock`.
    private let lock = NativeLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withLock { try body(&value) }
    }
}
