/// A plain lock for the few places that guard non-`Sendable` C state.
final class NativeLock: Sendable {
    // A byte, not `()`: an empty stored property shares its address with the object's
    // header, and ThreadSanitizer then reports the inout access to it racing with unlocked
    // reads of that header (a false positive, seen with the rebalance handler's locks).
    private let locked = Locked<UInt8>(0)

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        try locked.withLock { _ in try body() }
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
