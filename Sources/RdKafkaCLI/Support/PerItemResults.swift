import ArgumentParser
import RdKafka

/// Prints the outcome of a batch admin call, item by item; fails if any item failed.
enum PerItemResults {
    static func report<Item: Comparable & CustomStringConvertible>(_ results: [Item: Result<Void, KafkaError>], done: String) throws {
        var failures = 0
        for (item, result) in results.sorted(by: { $0.key < $1.key }) {
            switch result {
            case .success:
                print("\(done) \(item).")
            case .failure(let error):
                failures += 1
                Diagnostics.line("rdkafka: \(item): \(error.oneLine)")
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }
}
