import Foundation
import Metrics

@testable import RdKafka

// MARK: - In-memory metrics backend

/// A minimal swift-metrics backend recording the latest gauge values and counter increments,
/// keyed by label and dimensions. Like real backends, asking twice for the same series returns the
/// same handler.
final class InMemoryMetrics: MetricsFactory {
    private struct Key: Hashable {
        var label: String
        var dimensions: [String: String]
    }

    private struct Store {
        var counters: [Key: CounterBox] = [:]
        var recorders: [Key: RecorderBox] = [:]
        var dimensionOrder: [String: [String]] = [:]
        var handlesCreated = 0
        var destroyedCount = 0
    }

    private let store = Guarded(Store())

    final class CounterBox: CounterHandler {
        let increments = Guarded<[Int64]>([])
        func increment(by amount: Int64) { increments.withLock { $0.append(amount) } }
        func reset() { increments.withLock { $0 = [] } }
    }

    final class RecorderBox: RecorderHandler {
        let last = Guarded<Double?>(nil)
        func record(_ value: Int64) { last.withLock { $0 = Double(value) } }
        func record(_ value: Double) { last.withLock { $0 = value } }
    }

    final class TimerBox: TimerHandler {
        func recordNanoseconds(_ duration: Int64) {}
    }

    private func key(_ label: String, _ dimensions: [(String, String)]) -> Key {
        Key(label: label, dimensions: Dictionary(dimensions, uniquingKeysWith: { $1 }))
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        store.withLock { store in
            store.dimensionOrder[label] = dimensions.map(\.0)
            let key = key(label, dimensions)
            if let existing = store.counters[key] { return existing }
            store.handlesCreated += 1
            let box = CounterBox()
            store.counters[key] = box
            return box
        }
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        store.withLock { store in
            store.dimensionOrder[label] = dimensions.map(\.0)
            let key = key(label, dimensions)
            if let existing = store.recorders[key] { return existing }
            store.handlesCreated += 1
            let box = RecorderBox()
            store.recorders[key] = box
            return box
        }
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        TimerBox()
    }

    func destroyCounter(_ handler: any CounterHandler) {
        store.withLock { store in
            if let key = store.counters.first(where: { $0.value === handler })?.key {
                store.counters[key] = nil
                store.destroyedCount += 1
            }
        }
    }

    func destroyRecorder(_ handler: any RecorderHandler) {
        store.withLock { store in
            if let key = store.recorders.first(where: { $0.value === handler })?.key {
                store.recorders[key] = nil
                store.destroyedCount += 1
            }
        }
    }

    func destroyTimer(_ handler: any TimerHandler) {}

    /// The latest value of a live gauge, or `nil` if there is no such series.
    func gauge(_ label: String, _ dimensions: [String: String]) -> Double? {
        store.withLock { $0.recorders[Key(label: label, dimensions: dimensions)] }?.last.withLock { $0 }
    }

    /// The sum of a live counter's increments, or `nil` if there is no such series.
    func counter(_ label: String, _ dimensions: [String: String]) -> Int64? {
        counterIncrements(label, dimensions)?.reduce(0, +)
    }

    func counterIncrements(_ label: String, _ dimensions: [String: String]) -> [Int64]? {
        store.withLock { $0.counters[Key(label: label, dimensions: dimensions)] }?.increments.withLock { $0 }
    }

    func hasSeries(named label: String) -> Bool {
        store.withLock { store in
            store.counters.keys.contains { $0.label == label } || store.recorders.keys.contains { $0.label == label }
        }
    }

    func hasSeries(where predicate: ([String: String]) -> Bool) -> Bool {
        store.withLock { store in
            store.counters.keys.contains { predicate($0.dimensions) }
                || store.recorders.keys.contains { predicate($0.dimensions) }
        }
    }

    func dimensionNames(_ label: String) -> [String]? {
        store.withLock { $0.dimensionOrder[label] }
    }

    var handlesCreated: Int { store.withLock { $0.handlesCreated } }
    var destroyedCount: Int { store.withLock { $0.destroyedCount } }
}
