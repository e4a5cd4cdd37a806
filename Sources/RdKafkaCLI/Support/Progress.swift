import Foundation

/// A progress line on stderr for long runs — only when stderr is a terminal, so scripts and
/// logs never see it — redrawn at most once a second.
struct Progress {
    private let enabled: Bool
    private let verb: String
    private var lastDrawn = ContinuousClock.now
    private var drawn = false

    init(verb: String) {
        self.verb = verb
        self.enabled = Diagnostics.isTerminal
    }

    mutating func update(_ count: Int) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard now - lastDrawn >= .seconds(1) else { return }
        lastDrawn = now
        drawn = true
        FileHandle.standardError.write(Data("\r\u{1B}[K\(count) records \(verb)".utf8))
    }

    /// Erases the line before the final summary.
    mutating func finish() {
        guard drawn else { return }
        drawn = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
