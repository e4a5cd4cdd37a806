import Dispatch
import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM as a flag that long-running commands poll, so they stop
/// reading, deliver or commit what they hold, and exit cleanly. A second signal exits at once.
final class InterruptSignal {
    /// Signals seen; shared with the dispatch handlers.
    private final class Count: Sendable {
        let value = Atomic<Int>(0)
    }

    private let count = Count()
    private let sources: [any DispatchSourceSignal]

    init() {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [count] in
                let seen = count.value.add(1, ordering: .sequentiallyConsistent).newValue
                // The first asks for a clean stop; a second means the user will not wait.
                if seen > 1 { _exit(130) }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    deinit {
        for source in sources { source.cancel() }
    }

    var isRequested: Bool { count.value.load(ordering: .sequentiallyConsistent) > 0 }
}
