#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a pthread mutex, in one allocation.
///
/// Used instead of the standard library's `Mutex` because ThreadSanitizer understands
/// pthread mutexes but not `Mutex`'s futex-based implementation on Linux, and the project
/// runs its concurrency tests under ThreadSanitizer (`make check`).
final class Locked<State>: @unchecked Sendable {
    // @unchecked: `state` is only touched with `mutex` held. That also rules out overlapping
    // access, so its dynamic exclusivity check is off: it cost every call two runtime calls.
    @exclusivity(unchecked) private var state: State
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init(_ state: State) {
        self.state = state
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
