import Foundation
import RdKafka

/// The child side of ``BrokerPlacement/process``: `rdkafka-bench --serve-broker` runs an
/// ``EmbeddedKafkaCluster``, prints `bootstrap <servers>`, then creates the topics asked
/// for on stdin (`topic <name> <partitions>`, answered `ok` or `error <why>`), until stdin
/// closes: the benchmark closed it, or died.
enum BrokerServer {
    static func run(brokers: Int) throws {
        let cluster = try EmbeddedKafkaCluster(brokers: brokers)
        answer("bootstrap \(cluster.bootstrapServers.joined(separator: ","))")
        while let line = readLine() {
            let words = line.split(separator: " ")
            guard words.count == 3, words[0] == "topic", let partitions = Int(words[2]), partitions > 0 else {
                answer("error unknown request '\(line)'")
                continue
            }
            do {
                try cluster.createTopic(String(words[1]), partitions: partitions, replicationFactor: 1)
                answer("ok")
            } catch {
                answer("error \(error)")
            }
        }
        cluster.shutdown()
    }

    private static func answer(_ line: String) {
        print(line)
        // Every stream: naming `stdout` is a reference to shared mutable state in Swift 6.
        fflush(nil)
    }
}
