import Logging
import Synchronization

/// A swift-log handler that keeps every line, so tests can look at what librdkafka logged.
struct InMemoryLogHandler: LogHandler {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    final class Store: Sendable {
        private let lines = Guarded<[Line]>([])
        func append(_ line: Line) { lines.withLock { $0.append(line) } }
        var all: [Line] { lines.withLock { $0 } }
    }

    let store: Store
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append(Line(level: event.level, message: event.message.description, metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
    }

    /// A logger writing into a fresh store, at `level`.
    static func logger(level: Logger.Level) -> (Logger, Store) {
        let store = Store()
        let logger = Logger(label: "test") { _ in InMemoryLogHandler(store: store, logLevel: level) }
        return (logger, store)
    }
}
